"""factory_boy factories for every model, in one place."""

import factory
from django.contrib.contenttypes.models import ContentType

from periods.models import Actor, Analysis, Event, Figure, Period, PolicyOption
from sources.models import Citation, Document, Endnote, EndnoteWork, Source
from systems.models import System
from transfers.models import Project, Transfer


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Period
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"test-period-{n}")
    name = factory.Sequence(lambda n: f"Test period {n}")
    heading = factory.LazyAttribute(lambda o: o.name.upper())
    start_year = 2000
    end_year = 2005
    summary = "A period for tests."


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"actor-{n}")
    name = factory.Sequence(lambda n: f"Actor {n}")
    kind = Actor.Kind.ORGANISATION


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"doc-{n}")
    title = factory.Sequence(lambda n: f"Document {n}")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    slug = factory.Sequence(lambda n: f"source-{n}")
    kind = Source.Kind.ARTICLE_MAGAZINE
    authors = factory.LazyFunction(lambda: [{"family": "Doe", "given": "Jane"}])
    title = factory.Sequence(lambda n: f"A work {n}")
    container_title = "Diplomat"
    date_edtf = "2019-07-31"


class EndnoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Endnote

    document = factory.SubFactory(DocumentFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Jane Doe, “A work {n},” Diplomat, 2019, {n}.")


class EndnoteWorkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EndnoteWork

    endnote = factory.SubFactory(EndnoteFactory)
    source = factory.SubFactory(SourceFactory)
    position = 1
    pinpoint = "1"


class _Dated(factory.django.DjangoModelFactory):
    date_text = "2015"
    date_edtf = "2015"


class EventFactory(_Dated):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"event-{n}")
    title = factory.Sequence(lambda n: f"Event {n}")
    kind = Event.Kind.AGREEMENT
    period = factory.SubFactory(PeriodFactory)


class TransferFactory(_Dated):
    class Meta:
        model = Transfer

    slug = factory.Sequence(lambda n: f"transfer-{n}")
    designation = factory.Sequence(lambda n: f"X-{n}")
    description = "test system"
    category = Transfer.Category.AIRCRAFT
    supplier = factory.SubFactory(ActorFactory, slug="russia", name="Russia", kind=Actor.Kind.STATE)
    recipient = factory.SubFactory(ActorFactory, slug="china", name="China", kind=Actor.Kind.STATE)
    period = factory.SubFactory(PeriodFactory)
    status = Transfer.Status.AGREED


class ProjectFactory(_Dated):
    class Meta:
        model = Project

    slug = factory.Sequence(lambda n: f"project-{n}")
    name = factory.Sequence(lambda n: f"Project {n}")
    period = factory.SubFactory(PeriodFactory)
    status = Project.Status.AGREED


class FigureFactory(_Dated):
    class Meta:
        model = Figure

    slug = factory.Sequence(lambda n: f"figure-{n}")
    statement = factory.Sequence(lambda n: f"{n} percent of something")
    value = 10
    unit = Figure.Unit.PERCENT


class AnalysisFactory(_Dated):
    class Meta:
        model = Analysis

    slug = factory.Sequence(lambda n: f"analysis-{n}")
    title = factory.Sequence(lambda n: f"Analysis {n}")
    claim = factory.Sequence(lambda n: f"Claim {n} in the report's words.")
    kind = Analysis.Kind.ASSESSMENT


class PolicyOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyOption

    slug = factory.Sequence(lambda n: f"option-{n}")
    title = factory.Sequence(lambda n: f"Option {n}")
    summary = "Do something."


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    endnote = factory.SubFactory(EndnoteFactory)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.record))
    object_id = factory.LazyAttribute(lambda o: o.record.pk)

    class Params:
        record = None


def grow_dataset(n: int = 20) -> None:
    """Add ``n`` cited, dated records of each timeline type (and figures) to the loaded report.

    Used to prove that a page's query count does not grow with the number of records:
    the new rows join the existing periods, actors and endnotes.
    """
    periods = list(Period.objects.order_by("order"))
    endnotes = list(Endnote.objects.order_by("number")[:5])
    organisation = ActorFactory(slug="rostec")  # an organisation of the report (get_or_create)
    # The report's S-400 and Lada-class (when loaded): their pages grow with the rest.
    systems = list(System.objects.filter(slug__in=["s-400", "lada-class"]))
    for i in range(n):
        period = periods[i % len(periods)]
        year = period.start_year + (i % 5)
        dated = {"date_text": f"around {year}", "date_edtf": f"{year}~"}
        event = EventFactory(period=period, **dated)
        event.actors.add(organisation)
        transfer = TransferFactory(period=period, designation="S-400", **dated)
        project = ProjectFactory(period=period, **dated)
        project.partners.add(organisation)
        figure = FigureFactory(period=period, **dated)
        analysis = AnalysisFactory(period=period, made_by=organisation, **dated)
        analysis.actors.add(organisation)
        for record in (event, transfer, project, figure, analysis):
            if hasattr(record, "systems"):  # the report's analyses link no systems
                record.systems.add(*systems)
            for position, note in enumerate(endnotes[:2], start=1):
                CitationFactory(record=record, endnote=note, position=position)
