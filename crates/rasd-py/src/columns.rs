//! Reading and writing the Arrow columns the bindings exchange: a record
//! batch and a column name in, plain Rust values out (and back).
//!
//! Inputs are accepted in every layout Python producers use for the same
//! logical type (`string` / `large_string` / `string_view`; `list` /
//! `large_list` of any 32- or 64-bit integer), so pyarrow tables, pandas
//! conversions and Spark's `mapInArrow` batches all work. Unsigned values
//! that Spark must carry in signed columns are reinterpreted bit for bit.

use crate::BatchError;
use arrow_array::builder::{
    BooleanBuilder, Float64Builder, Int32Builder, Int64Builder, ListBuilder, StringBuilder,
    UInt32Builder, UInt64Builder,
};
use arrow_array::cast::AsArray;
use arrow_array::types::{Int32Type, Int64Type, UInt32Type, UInt64Type};
use arrow_array::{Array, ArrayRef, GenericListArray, OffsetSizeTrait, RecordBatch};
use arrow_schema::DataType;
use std::sync::Arc;

/// How unsigned hashes are written: as themselves, or reinterpreted as the
/// signed type of the same width (Spark has no unsigned integers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IntKind {
    /// `uint32` / `uint64`: the values as the Rust core computes them.
    #[default]
    Unsigned,
    /// `int32` / `int64` with the same bits.
    Signed,
}

/// The column `name`, if the batch has one.
pub fn column<'a>(batch: &'a RecordBatch, name: &str) -> Option<&'a ArrayRef> {
    batch.schema().index_of(name).ok().map(|i| batch.column(i))
}

/// A text column as one `Option<String>` per row; `None` when the batch has
/// no such column.
pub fn strings(batch: &RecordBatch, name: &str) -> Result<Option<Vec<Option<String>>>, BatchError> {
    let Some(array) = column(batch, name) else {
        return Ok(None);
    };
    let owned = |v: Option<&str>| v.map(str::to_owned);
    let values: Vec<Option<String>> = match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().iter().map(owned).collect(),
        DataType::LargeUtf8 => array.as_string::<i64>().iter().map(owned).collect(),
        DataType::Utf8View => array.as_string_view().iter().map(owned).collect(),
        DataType::Null => vec![None; array.len()],
        other => return Err(wrong_type(name, other, "a string")),
    };
    Ok(Some(values))
}

/// A text column that must be present.
pub fn required_strings(
    batch: &RecordBatch,
    name: &str,
) -> Result<Vec<Option<String>>, BatchError> {
    strings(batch, name)?.ok_or_else(|| BatchError::MissingColumn {
        name: name.to_owned(),
    })
}

/// An integer column as `i64` per row (nulls are an error naming the row).
pub fn required_i64(batch: &RecordBatch, name: &str) -> Result<Vec<i64>, BatchError> {
    let array = column(batch, name).ok_or_else(|| BatchError::MissingColumn {
        name: name.to_owned(),
    })?;
    let values: Vec<Option<i64>> = match array.data_type() {
        DataType::Int64 => array.as_primitive::<Int64Type>().iter().collect(),
        DataType::Int32 => array
            .as_primitive::<Int32Type>()
            .iter()
            .map(|v| v.map(i64::from))
            .collect(),
        DataType::UInt32 => array
            .as_primitive::<UInt32Type>()
            .iter()
            .map(|v| v.map(i64::from))
            .collect(),
        other => return Err(wrong_type(name, other, "an integer")),
    };
    values
        .into_iter()
        .enumerate()
        .map(|(row, v)| {
            v.ok_or_else(|| BatchError::Null {
                name: name.to_owned(),
                row,
            })
        })
        .collect()
}

/// A list-of-integers column as `u32` lists (32-bit values of either sign,
/// reinterpreted; 64-bit values must fit in 32 bits); a null list is empty.
pub fn u32_lists(batch: &RecordBatch, name: &str) -> Result<Vec<Vec<u32>>, BatchError> {
    let array = column(batch, name).ok_or_else(|| BatchError::MissingColumn {
        name: name.to_owned(),
    })?;
    match array.data_type() {
        DataType::List(_) => lists_u32(array.as_list::<i32>(), name),
        DataType::LargeList(_) => lists_u32(array.as_list::<i64>(), name),
        other => Err(wrong_type(name, other, "a list of integers")),
    }
}

fn lists_u32<O: OffsetSizeTrait>(
    lists: &GenericListArray<O>,
    name: &str,
) -> Result<Vec<Vec<u32>>, BatchError> {
    let mut out = Vec::with_capacity(lists.len());
    for row in 0..lists.len() {
        if lists.is_null(row) {
            out.push(Vec::new());
            continue;
        }
        let values = lists.value(row);
        let out_of_range = || BatchError::Value {
            name: name.to_owned(),
            row,
            reason: "a value does not fit in 32 bits".to_owned(),
        };
        let list: Vec<u32> = match values.data_type() {
            // `as` reinterprets the bits of a Spark int32 carrying a u32.
            DataType::Int32 => values
                .as_primitive::<Int32Type>()
                .values()
                .iter()
                .map(|&v| v as u32)
                .collect(),
            DataType::UInt32 => values.as_primitive::<UInt32Type>().values().to_vec(),
            DataType::Int64 => values
                .as_primitive::<Int64Type>()
                .values()
                .iter()
                .map(|&v| u32::try_from(v).map_err(|_| out_of_range()))
                .collect::<Result<_, _>>()?,
            DataType::UInt64 => values
                .as_primitive::<UInt64Type>()
                .values()
                .iter()
                .map(|&v| u32::try_from(v).map_err(|_| out_of_range()))
                .collect::<Result<_, _>>()?,
            other => return Err(wrong_type(name, other, "a list of integers")),
        };
        out.push(list);
    }
    Ok(out)
}

fn wrong_type(name: &str, found: &DataType, wanted: &str) -> BatchError {
    BatchError::WrongType {
        name: name.to_owned(),
        found: found.to_string(),
        wanted: wanted.to_owned(),
    }
}

/// A `string` column.
pub fn string_array<S: AsRef<str>>(values: impl IntoIterator<Item = Option<S>>) -> ArrayRef {
    let mut b = StringBuilder::new();
    for v in values {
        b.append_option(v);
    }
    Arc::new(b.finish())
}

/// An `int64` column.
pub fn i64_array(values: impl IntoIterator<Item = i64>) -> ArrayRef {
    let mut b = Int64Builder::new();
    for v in values {
        b.append_value(v);
    }
    Arc::new(b.finish())
}

/// A `float64` column with nulls.
pub fn f64_array(values: impl IntoIterator<Item = Option<f64>>) -> ArrayRef {
    let mut b = Float64Builder::new();
    for v in values {
        b.append_option(v);
    }
    Arc::new(b.finish())
}

/// A `bool` column.
pub fn bool_array(values: impl IntoIterator<Item = bool>) -> ArrayRef {
    let mut b = BooleanBuilder::new();
    for v in values {
        b.append_value(v);
    }
    Arc::new(b.finish())
}

/// A count column: `uint32`, or `int64` for Spark.
pub fn count_array(values: impl IntoIterator<Item = u32>, kind: IntKind) -> ArrayRef {
    match kind {
        IntKind::Unsigned => {
            let mut b = UInt32Builder::new();
            for v in values {
                b.append_value(v);
            }
            Arc::new(b.finish())
        }
        IntKind::Signed => i64_array(values.into_iter().map(i64::from)),
    }
}

/// A `list<uint32>` (or `list<int32>` with the same bits) column.
pub fn u32_list_array<'a>(lists: impl IntoIterator<Item = &'a [u32]>, kind: IntKind) -> ArrayRef {
    match kind {
        IntKind::Unsigned => {
            let mut b = ListBuilder::new(UInt32Builder::new());
            for list in lists {
                b.values().append_slice(list);
                b.append(true);
            }
            Arc::new(b.finish())
        }
        IntKind::Signed => {
            let mut b = ListBuilder::new(Int32Builder::new());
            for list in lists {
                for &v in list {
                    b.values().append_value(v as i32);
                }
                b.append(true);
            }
            Arc::new(b.finish())
        }
    }
}

/// A `list<uint64>` (or `list<int64>` with the same bits) column.
pub fn u64_list_array<'a>(lists: impl IntoIterator<Item = &'a [u64]>, kind: IntKind) -> ArrayRef {
    match kind {
        IntKind::Unsigned => {
            let mut b = ListBuilder::new(UInt64Builder::new());
            for list in lists {
                b.values().append_slice(list);
                b.append(true);
            }
            Arc::new(b.finish())
        }
        IntKind::Signed => {
            let mut b = ListBuilder::new(Int64Builder::new());
            for list in lists {
                for &v in list {
                    b.values().append_value(v as i64);
                }
                b.append(true);
            }
            Arc::new(b.finish())
        }
    }
}

/// A batch of named columns (every field nullable).
pub fn batch(columns: Vec<(&str, ArrayRef)>) -> Result<RecordBatch, BatchError> {
    RecordBatch::try_from_iter_with_nullable(
        columns
            .into_iter()
            .map(|(name, array)| (name.to_owned(), array, true)),
    )
    .map_err(|e| BatchError::Arrow(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Int32Array, LargeStringArray, ListArray};

    #[test]
    fn reads_every_string_layout_and_signed_lists() {
        let large: ArrayRef = Arc::new(LargeStringArray::from(vec![Some("خبر"), None]));
        let lists: ArrayRef = Arc::new(ListArray::from_iter_primitive::<Int32Type, _, _>(vec![
            Some(vec![Some(-1), Some(7)]),
            None,
        ]));
        let b = batch(vec![("title", large), ("shingles", lists)]).unwrap();
        assert_eq!(
            strings(&b, "title").unwrap().unwrap(),
            [Some("خبر".to_owned()), None]
        );
        assert_eq!(
            u32_lists(&b, "shingles").unwrap(),
            [vec![u32::MAX, 7], vec![]]
        );
        assert!(strings(&b, "body").unwrap().is_none());
        assert!(matches!(
            required_i64(&b, "seq"),
            Err(BatchError::MissingColumn { .. })
        ));
        assert!(matches!(
            strings(&b, "shingles"),
            Err(BatchError::WrongType { .. })
        ));
    }

    #[test]
    fn signed_lists_keep_the_bits() {
        let values = [0u32, 1 << 31, u32::MAX];
        let array = u32_list_array([values.as_slice()], IntKind::Signed);
        let b = batch(vec![("m", array)]).unwrap();
        let back = u32_lists(&b, "m").unwrap();
        assert_eq!(back, [values.to_vec()]);
        let ints = b.column(0).as_list::<i32>().value(0);
        let ints = ints.as_any().downcast_ref::<Int32Array>().unwrap();
        assert_eq!(ints.value(1), i32::MIN);
    }
}
