//! BIO tags and entity spans: tag strings in, [`Tag`]s and [`Span`]s out.
//!
//! Nine tags: `O` and `B-`/`I-` for the four ANERcorp types. [`repair`]
//! turns any tag sequence into valid BIO (an `I-X` never follows anything
//! but `B-X` or `I-X`), and [`spans`] reads entity spans from valid BIO.

use serde::Serialize;
use std::fmt;

/// The four entity types of ANERcorp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum EntityType {
    #[serde(rename = "PERS")]
    Person,
    #[serde(rename = "LOC")]
    Location,
    #[serde(rename = "ORG")]
    Organization,
    #[serde(rename = "MISC")]
    Misc,
}

impl EntityType {
    /// All types, in tag order.
    pub const ALL: [EntityType; 4] = [
        EntityType::Person,
        EntityType::Location,
        EntityType::Organization,
        EntityType::Misc,
    ];

    /// The CoNLL label: `PERS`, `LOC`, `ORG` or `MISC`.
    pub fn label(self) -> &'static str {
        match self {
            EntityType::Person => "PERS",
            EntityType::Location => "LOC",
            EntityType::Organization => "ORG",
            EntityType::Misc => "MISC",
        }
    }

    /// Parses a CoNLL label (`PER` is accepted for `PERS`).
    pub fn from_label(label: &str) -> Option<EntityType> {
        Some(match label {
            "PERS" | "PER" => EntityType::Person,
            "LOC" => EntityType::Location,
            "ORG" => EntityType::Organization,
            "MISC" => EntityType::Misc,
            _ => return None,
        })
    }

    fn index(self) -> u8 {
        self as u8
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One BIO tag, stored as an index `0..Tag::COUNT` (0 is `O`, then
/// `B-X` = 1 + 2·type and `I-X` = 2 + 2·type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tag(u8);

impl Tag {
    /// How many tags there are.
    pub const COUNT: usize = 9;
    /// Outside any entity.
    pub const O: Tag = Tag(0);

    /// `B-` of a type.
    pub fn begin(ty: EntityType) -> Tag {
        Tag(1 + 2 * ty.index())
    }

    /// `I-` of a type.
    pub fn inside(ty: EntityType) -> Tag {
        Tag(2 + 2 * ty.index())
    }

    /// The tag with index `i` (`i < COUNT`).
    pub fn from_index(i: usize) -> Tag {
        debug_assert!(i < Self::COUNT);
        Tag(i as u8)
    }

    /// The index of this tag, `0..COUNT`.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The entity type, `None` for `O`.
    pub fn entity_type(self) -> Option<EntityType> {
        if self.0 == 0 {
            None
        } else {
            Some(EntityType::ALL[((self.0 - 1) / 2) as usize])
        }
    }

    /// Whether this is an `I-` tag.
    pub fn is_inside(self) -> bool {
        self.0 != 0 && self.0 % 2 == 0
    }

    /// Whether `self` may directly follow `prev` in valid BIO
    /// (`prev` is `None` at the start of a sentence).
    pub fn may_follow(self, prev: Option<Tag>) -> bool {
        if !self.is_inside() {
            return true;
        }
        prev.and_then(Tag::entity_type) == self.entity_type()
    }

    /// Parses `O`, `B-X` or `I-X` (`E-`/`S-` of BIOES are read as `I-`/`B-`).
    pub fn parse(s: &str) -> Option<Tag> {
        if s == "O" {
            return Some(Tag::O);
        }
        let (prefix, label) = s.split_once('-')?;
        let ty = EntityType::from_label(label)?;
        match prefix {
            "B" | "S" => Some(Tag::begin(ty)),
            "I" | "E" => Some(Tag::inside(ty)),
            _ => None,
        }
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.entity_type() {
            None => f.write_str("O"),
            Some(ty) if self.is_inside() => write!(f, "I-{ty}"),
            Some(ty) => write!(f, "B-{ty}"),
        }
    }
}

/// Makes a tag sequence valid BIO: an `I-X` that does not continue an
/// entity of type X becomes `B-X` (the conlleval reading of such tags).
pub fn repair(tags: &mut [Tag]) {
    let mut prev = None;
    for tag in tags.iter_mut() {
        if !tag.may_follow(prev) {
            if let Some(ty) = tag.entity_type() {
                *tag = Tag::begin(ty);
            }
        }
        prev = Some(*tag);
    }
}

/// An entity: tokens `start..end` of a sentence, of one type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub ty: EntityType,
}

/// The entity spans of a tag sequence, read as conlleval does (an `I-X`
/// that does not continue an X entity starts a new one).
pub fn spans(tags: &[Tag]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut open: Option<Span> = None;
    for (i, tag) in tags.iter().enumerate() {
        let continues = tag.is_inside() && open.is_some_and(|s| Some(s.ty) == tag.entity_type());
        if continues {
            if let Some(span) = open.as_mut() {
                span.end = i + 1;
            }
            continue;
        }
        out.extend(open.take());
        if let Some(ty) = tag.entity_type() {
            open = Some(Span {
                start: i,
                end: i + 1,
                ty,
            });
        }
    }
    out.extend(open);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn tags_round_trip_through_text() {
        for i in 0..Tag::COUNT {
            let tag = Tag::from_index(i);
            assert_eq!(Tag::parse(&tag.to_string()), Some(tag));
        }
        assert_eq!(Tag::parse("B-PER"), Some(Tag::begin(EntityType::Person)));
        assert_eq!(Tag::parse("X-LOC"), None);
        assert_eq!(Tag::parse("B-بغداد"), None);
    }

    #[test]
    fn spans_of_bio() {
        // جو/B-PERS بايدن/I-PERS في/O بغداد/B-LOC
        let tags: Vec<Tag> = ["B-PERS", "I-PERS", "O", "B-LOC", "I-ORG"]
            .iter()
            .map(|s| Tag::parse(s).unwrap())
            .collect();
        let got = spans(&tags);
        assert_eq!(got.len(), 3);
        assert_eq!(
            (got[0].start, got[0].end, got[0].ty),
            (0, 2, EntityType::Person)
        );
        assert_eq!((got[1].start, got[1].end), (3, 4));
        assert_eq!(
            (got[2].start, got[2].end, got[2].ty),
            (4, 5, EntityType::Organization)
        );
    }

    proptest! {
        #[test]
        fn repair_yields_valid_bio_with_the_same_spans(raw in proptest::collection::vec(0usize..Tag::COUNT, 0..30)) {
            let mut tags: Vec<Tag> = raw.into_iter().map(Tag::from_index).collect();
            let before = spans(&tags);
            repair(&mut tags);
            let mut prev = None;
            for t in &tags {
                prop_assert!(t.may_follow(prev));
                prev = Some(*t);
            }
            prop_assert_eq!(spans(&tags), before);
        }
    }
}
