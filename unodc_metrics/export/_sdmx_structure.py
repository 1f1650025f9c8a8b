"""A :class:`~._sdmx_codes.Cube` in sdmx1's model: its structure, and its data set.

This is the only module that imports sdmx1 (the extra ``sdmx``); it does so inside the
functions, through :func:`import_sdmx`, so that importing it costs nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import TYPE_CHECKING

from unodc_metrics.export._sdmx_codes import CONCEPTS, Component, Cube

if TYPE_CHECKING:
    from sdmx.message import DataMessage, StructureMessage
    from sdmx.model.common import Codelist, ConceptScheme
    from sdmx.model.v21 import DataflowDefinition, DataStructureDefinition

__all__ = ["AGENCY", "VERSION", "data_message", "dataflow", "import_sdmx", "structure_message"]

AGENCY = "UNODC_METRICS"
"""The agency that maintains the structures: this library, not UNODC."""

VERSION = "1.0"
"""The version of every structure; it changes when the mapping does (docs/sdmx.md)."""


def import_sdmx() -> ModuleType:
    """The ``sdmx`` module of the sdmx1 package.

    Raises:
        ImportError: If sdmx1 is not installed, saying how to install it.
    """
    try:
        import sdmx
    except ImportError as exc:
        raise ImportError(
            "writing SDMX needs the sdmx1 package: pip install 'unodc-metrics[sdmx]'"
        ) from exc
    return sdmx


def _codelist(id_: str, codes: Mapping[str, str]) -> Codelist:
    """A code list of :data:`AGENCY` with these codes and names."""
    from sdmx.model import common

    codelist = common.Codelist(
        id=id_, name=id_, version=VERSION, is_final=True, maintainer=common.Agency(id=AGENCY)
    )
    for code, name in codes.items():
        codelist.append(common.Code(id=code, name=name))
    return codelist


def _concepts() -> ConceptScheme:
    """Every concept of the export, in one scheme shared by all the structures."""
    from sdmx.model import common

    scheme = common.ConceptScheme(
        id="CS_UNODC_METRICS",
        name="Concepts of the unodc-metrics SDMX export",
        version=VERSION,
        is_final=True,
        maintainer=common.Agency(id=AGENCY),
    )
    for id_, name in CONCEPTS.items():
        scheme.append(common.Concept(id=id_, name=name))
    return scheme


def _codelist_id(cube: Cube, component: Component) -> str:
    """``CL_SEX`` for a code list every structure shares; ``CL_TRAININGS_MEASURE`` for one
    built from the data."""
    shared = {"SEX", "AGE", "EXPLOITATION", "VICTIM_STATUS", "OBS_STATUS", "QUALIFIER"}
    shared |= {"PERIOD_KIND", "AREA_KIND"}
    if component.id in shared:
        return f"CL_{component.id}"
    return f"CL_{cube.table.upper()}_{component.id}"


def structure_message(cube: Cube) -> StructureMessage:
    """The structure of a cube: its code lists, the concepts, its DSD and its data flow.

    The DSD is ``DSD_<TABLE>`` and the data flow ``DF_<TABLE>``, both of agency
    :data:`AGENCY`. Every attribute is attached to the observation.
    """
    import_sdmx()
    from sdmx import message
    from sdmx.model import common, v21

    agency = common.Agency(id=AGENCY)
    concepts = _concepts()
    out = message.StructureMessage(header=message.Header(sender=agency))
    out.add(concepts)
    dsd = v21.DataStructureDefinition(
        id=f"DSD_{cube.table.upper()}",
        name=cube.title,
        version=VERSION,
        is_final=True,
        maintainer=agency,
    )

    def representation(component: Component) -> common.Representation | None:
        if component.codes is None:
            return None
        codelist = _codelist(_codelist_id(cube, component), component.codes)
        out.add(codelist)
        return common.Representation(enumerated=codelist)

    for order, dim in enumerate(cube.dimensions, start=1):
        kind = common.TimeDimension if dim.id == "TIME_PERIOD" else common.Dimension
        dsd.dimensions.getdefault(
            dim.id,
            cls=kind,
            concept_identity=concepts[dim.id],
            local_representation=representation(dim),
            order=order,
        )
    dsd.measures.getdefault(
        "OBS_VALUE", cls=v21.PrimaryMeasure, concept_identity=concepts["OBS_VALUE"]
    )
    for attr in cube.attributes:
        status = common.UsageStatus["mandatory" if attr.id == "OBS_STATUS" else "conditional"]
        dsd.attributes.getdefault(
            attr.id,
            cls=common.DataAttribute,
            concept_identity=concepts[attr.id],
            local_representation=representation(attr),
            related_to=v21.PrimaryMeasureRelationship(),
            usage_status=status,
        )
    out.add(dsd)
    out.add(
        v21.DataflowDefinition(
            id=f"DF_{cube.table.upper()}",
            name=cube.title,
            version=VERSION,
            is_final=True,
            maintainer=agency,
            structure=dsd,
        )
    )
    return out


def dataflow(structure: StructureMessage) -> DataflowDefinition:
    """The one data flow of a :func:`structure_message`."""
    from sdmx.model import v21

    (flow,) = structure.dataflow.values()
    assert isinstance(flow, v21.DataflowDefinition)
    return flow


def data_message(cube: Cube, structure: StructureMessage) -> DataMessage:
    """A structure-specific data message of the cube's observations, one data set,
    structured by the DSD of ``structure`` (from :func:`structure_message`)."""
    import_sdmx()
    from sdmx import message
    from sdmx.model import common, v21

    flow = dataflow(structure)
    dsd: DataStructureDefinition = flow.structure
    measure = dsd.measures.get("OBS_VALUE")
    dims = [d.id for d in cube.dimensions]
    attrs = {a.id: dsd.attributes.get(a.id) for a in cube.attributes}
    data = v21.StructureSpecificDataSet(structured_by=dsd, described_by=flow)
    for obs in cube.observations:
        key = dsd.make_key(common.Key, {d: obs[d] for d in dims})
        attached = {
            id_: common.AttributeValue(value=obs[id_], value_for=attr)
            for id_, attr in attrs.items()
            if id_ in obs
        }
        data.obs.append(
            v21.Observation(
                dimension=key,
                value=obs.get("OBS_VALUE"),
                value_for=measure,
                attached_attribute=attached,
            )
        )
    return message.DataMessage(
        header=message.Header(
            id=f"UNODC_METRICS_{cube.table.upper()}", sender=common.Agency(id=AGENCY)
        ),
        data=[data],
        dataflow=flow,
        observation_dimension=common.AllDimensions,
    )
