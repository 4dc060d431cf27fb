"""Many wearable samples at once, as columns: what fast importers yield instead of one
`SampleData` per reading, so millions of heart-rate points never become millions of objects.

Columns (an Arrow table, one row per sample):

| column | type | meaning |
| --- | --- | --- |
| kind | string | a `SampleKind` value |
| start | timestamp[us, UTC] | when the sample starts, as a UTC instant |
| utc_offset_minutes | int16 | the offset the source wrote (local time = start + offset) |
| end | timestamp[us, UTC], nullable | end of an interval sample (sleep stage, step count) |
| value | float64 | in the kind's unit (`SampleKind.unit`) |
| source | string | the device or app that measured it |
| extra | string, nullable | JSON object with anything else worth keeping |
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

SAMPLE_SCHEMA = pa.schema(
    [
        pa.field("kind", pa.string(), nullable=False),
        pa.field("start", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("utc_offset_minutes", pa.int16(), nullable=False),
        pa.field("end", pa.timestamp("us", tz="UTC")),
        pa.field("value", pa.float64(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("extra", pa.string()),
    ]
)


@dataclass(frozen=True)
class SampleBatch:
    """A block of samples with `SAMPLE_SCHEMA`; values already in their kind's unit."""

    table: pa.Table

    def __post_init__(self) -> None:
        if not self.table.schema.equals(SAMPLE_SCHEMA):
            raise ValueError(f"sample batch schema differs: {self.table.schema}")

    def __len__(self) -> int:
        return int(self.table.num_rows)
