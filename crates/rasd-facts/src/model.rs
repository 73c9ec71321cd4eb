//! The NER model: hashed feature weights and BIO transitions; tokens in,
//! tags out (Viterbi search restricted to valid BIO).
//!
//! The model file is a gzip'd little binary: magic `RASDNER1`, the hash
//! width, the emission scale, the 10×9 transition scores (row 9 is the
//! sentence start), the hashed gazetteer sets, the word-cluster table as
//! (hash gap, path) varints (since `RASDNER2`; `RASDNER1` files have none),
//! the training lexicon (since `RASDNER3`: its name sets like the
//! gazetteer's, then (hash gap, five counts) varints per word), the flat
//! word clusters (since `RASDNER4`: the number of clusterings `L`, then
//! (hash gap, `L` ids) varints per word),
//! then the non-zero quantized weights as (gap, value) varints. It is written by [`crate::train`] and
//! shipped inside the crate ([`Model::embedded`]).

use crate::clusters::{WordClusters, MAX_FLAT, MAX_WORDS};
use crate::features::{self, SentenceFeatures};
use crate::gazetteer::Gazetteer;
use crate::lexicon::{Lexicon, WordCounts, MAX_LEXICON_WORDS};
use crate::tags::{self, EntityType, Span, Tag};
use crate::FactsError;
use rasd_text::{normalize, stem, stopwords};
use std::collections::HashMap;
use std::io::{Read, Write};

const MAGIC: &[u8; 8] = b"RASDNER4";
/// The third format, without flat word clusters, still read.
const MAGIC_V3: &[u8; 8] = b"RASDNER3";
/// The second format, without a training lexicon, still read.
const MAGIC_V2: &[u8; 8] = b"RASDNER2";
/// The first format, without word clusters, still read.
const MAGIC_V1: &[u8; 8] = b"RASDNER1";
/// Rows of the transition table: one per previous tag, then the start.
pub(crate) const TRANSITION_ROWS: usize = Tag::COUNT + 1;
/// Largest hash width a model file may declare (bounds the weight table).
const MAX_BITS: u32 = 24;
/// Largest decompressed model accepted (bounds hostile files).
const MAX_MODEL_BYTES: u64 = 256 << 20;
/// Sentences per window when a long input without document boundaries
/// (CoNLL) is tagged with [`Model::tag_document`], and per window whose
/// features see each other; 25–50 scored best on the dev split (200 and
/// the whole split were worse), and 30 best in cross-validation once
/// windows fed the features (20: −0.5, 50: −0.7 F1).
pub const DOCUMENT_WINDOW: usize = 30;
/// Longest name, in words, that [`Model::tag_document`] propagates.
const PROPAGATE_MAX_WORDS: usize = 4;
/// Sentences longer than this are tagged in pieces, bounding memory.
pub const MAX_SENTENCE_TOKENS: usize = 1024;

/// A trained tagger.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub(crate) bits: u32,
    /// Emission weight of quantized value `q` for a feature is `q · scale`.
    pub(crate) scale: f32,
    /// `weights[bucket · Tag::COUNT + tag]`.
    pub(crate) weights: Vec<i16>,
    pub(crate) transitions: [[f32; Tag::COUNT]; TRANSITION_ROWS],
    pub(crate) gazetteer: Gazetteer,
    pub(crate) clusters: WordClusters,
    pub(crate) lexicon: Lexicon,
}

/// Scores of one sentence, one row of `Tag::COUNT` per token.
pub(crate) type Emissions = Vec<[f32; Tag::COUNT]>;

/// Best valid-BIO tag sequence for the emission scores.
pub(crate) fn viterbi(
    emissions: &[[f32; Tag::COUNT]],
    transitions: &[[f32; Tag::COUNT]; TRANSITION_ROWS],
) -> Vec<Tag> {
    let n = emissions.len();
    if n == 0 {
        return Vec::new();
    }
    let mut score = [[f32::NEG_INFINITY; Tag::COUNT]; 2];
    let mut back = vec![[0u8; Tag::COUNT]; n];
    for t in 0..Tag::COUNT {
        if Tag::from_index(t).may_follow(None) {
            score[0][t] = transitions[Tag::COUNT][t] + emissions[0][t];
        }
    }
    for i in 1..n {
        let (prev, cur) = if i % 2 == 1 { (0, 1) } else { (1, 0) };
        for t in 0..Tag::COUNT {
            let tag = Tag::from_index(t);
            let mut best = f32::NEG_INFINITY;
            let mut arg = 0u8;
            for p in 0..Tag::COUNT {
                if !tag.may_follow(Some(Tag::from_index(p))) {
                    continue;
                }
                let s = score[prev][p] + transitions[p][t];
                if s > best {
                    best = s;
                    arg = p as u8;
                }
            }
            score[cur][t] = best + emissions[i][t];
            back[i][t] = arg;
        }
    }
    let last = score[(n - 1) % 2];
    let mut t = (0..Tag::COUNT)
        .max_by(|&a, &b| last[a].total_cmp(&last[b]))
        .unwrap_or(0);
    let mut out = vec![Tag::O; n];
    for i in (0..n).rev() {
        out[i] = Tag::from_index(t);
        t = back[i][t] as usize;
    }
    out
}

/// Widens a tagged entity to the whole gazetteer name it lies in: when a
/// listed multi-word name holds no token tagged with another type, all of
/// it takes its listed type («محمد شياع [السوداني]», where the tagger reads
/// the last word as the adjective «Sudanese»; «تنظيم الدولة الإسلامية»,
/// which ANERcorp's 2007 news never names). Neutral on ANERcorp
/// cross-validation (F1 −0.0006), it keeps listed names whole.
fn extend_to_names(names: &[Span], tags: &mut [Tag]) {
    for name in names.iter().filter(|n| n.end - n.start >= 2) {
        let inside = &tags[name.start..name.end];
        let ours = |t: &Tag| t.entity_type() == Some(name.ty);
        if !inside.iter().all(|t| *t == Tag::O || ours(t)) {
            continue;
        }
        if !ours(&tags[name.start]) || !tags[name.start].is_inside() {
            tags[name.start] = Tag::begin(name.ty);
        }
        for t in &mut tags[name.start + 1..name.end] {
            *t = Tag::inside(name.ty);
        }
    }
}

/// Retags each span whose words were tagged more often with another type
/// (`known`: per word sequence, how often it was tagged with each type).
fn make_types_agree(
    keys: &[Vec<String>],
    tags: &mut [Vec<Tag>],
    known: &HashMap<&[String], [u32; 4]>,
) {
    for (sentence_keys, sentence_tags) in keys.iter().zip(tags.iter_mut()) {
        for span in tags::spans(sentence_tags) {
            let Some(counts) = known.get(&sentence_keys[span.start..span.end]) else {
                continue;
            };
            let best = (0..4).max_by_key(|&t| counts[t]).unwrap_or(0);
            if counts[best] > counts[span.ty as usize] {
                let ty = EntityType::ALL[best];
                sentence_tags[span.start] = Tag::begin(ty);
                for t in &mut sentence_tags[span.start + 1..span.end] {
                    *t = Tag::inside(ty);
                }
            }
        }
    }
}

/// The file of [`Model::embedded`].
pub(crate) static EMBEDDED_BYTES: &[u8] = include_bytes!("../model/ner.bin.gz");

impl Model {
    /// The model shipped with rasd (trained on ANERcorp's training split,
    /// the ANERgazet gazetteers and the word clusters (tree paths and flat
    /// k-means ids) of `examples/build_clusters.rs` by
    /// `examples/train_ner.rs`).
    pub fn embedded() -> &'static Model {
        use std::sync::OnceLock;
        static MODEL: OnceLock<Model> = OnceLock::new();
        // The bytes are part of the build and checked by the tests, so a
        // failure here is a build defect, not bad input.
        MODEL.get_or_init(|| Model::decode(EMBEDDED_BYTES).expect("the embedded NER model decodes"))
    }

    /// What this model's features are read from.
    pub(crate) fn sources(&self) -> features::Sources<'_> {
        features::Sources {
            gazetteer: &self.gazetteer,
            clusters: &self.clusters,
            lexicon: &self.lexicon,
            bits: self.bits,
        }
    }

    fn emissions(&self, feats: &SentenceFeatures) -> Emissions {
        (0..feats.len())
            .map(|i| {
                let mut sums = [0i32; Tag::COUNT];
                for &b in feats.token(i) {
                    let row = &self.weights[b as usize * Tag::COUNT..][..Tag::COUNT];
                    for (s, &w) in sums.iter_mut().zip(row) {
                        *s += i32::from(w);
                    }
                }
                sums.map(|s| s as f32 * self.scale)
            })
            .collect()
    }

    /// Tags one sentence; the result is valid BIO, one tag per token.
    pub fn tag(&self, tokens: &[String]) -> Vec<Tag> {
        self.tag_window(std::slice::from_ref(&tokens))
            .pop()
            .unwrap_or_default()
    }

    /// Tags consecutive sentences read as one window (their features see
    /// each other: [`features::extract_window`]); one valid BIO sequence
    /// per sentence.
    fn tag_window<T: AsRef<[String]>>(&self, sentences: &[T]) -> Vec<Vec<Tag>> {
        // Over-long sentences are tagged in pieces, bounding memory.
        let pieces: Vec<(usize, &[String])> = sentences
            .iter()
            .enumerate()
            .flat_map(|(k, s)| s.as_ref().chunks(MAX_SENTENCE_TOKENS).map(move |p| (k, p)))
            .collect();
        let piece_tokens: Vec<&[String]> = pieces.iter().map(|&(_, p)| p).collect();
        let feats = features::extract_window(&piece_tokens, self.sources());
        let mut out: Vec<Vec<Tag>> = sentences
            .iter()
            .map(|s| Vec::with_capacity(s.as_ref().len()))
            .collect();
        for (&(k, _), feats) in pieces.iter().zip(&feats) {
            let mut tags = viterbi(&self.emissions(feats), &self.transitions);
            extend_to_names(&feats.names, &mut tags);
            out[k].extend(tags);
        }
        for (tokens, tags) in sentences.iter().zip(out.iter_mut()) {
            self.split_joined_people(tokens.as_ref(), tags);
            tags::repair(tags);
        }
        out
    }

    /// Splits person spans the tagger ran together over «و»: in
    /// «بايدن والكاظمي» the second word starts a new name.
    fn split_joined_people(&self, tokens: &[String], tags: &mut [Tag]) {
        for i in 1..tags.len() {
            if tags[i] != Tag::inside(EntityType::Person) {
                continue;
            }
            let key = normalize::matching_key(&tokens[i]);
            let Some(rest) = key.strip_prefix('و') else {
                continue;
            };
            // Only «و + ال…»: a و-initial name (وليد, وائل) has no article after it.
            if rest.starts_with("ال") && rest.chars().count() >= 4 {
                tags[i] = Tag::begin(EntityType::Person);
            }
        }
    }

    /// Tags consecutive sentences of one text (a document, or a window of
    /// a corpus) in windows of [`DOCUMENT_WINDOW`] sentences whose
    /// features see each other, then makes names consistent: a word sequence tagged with
    /// several types takes its most frequent one, and one tagged as an
    /// entity in one place is tagged the same where it was left untagged
    /// (news repeats names; the tagger misses some repeats, rarely all).
    pub fn tag_document(&self, sentences: &[Vec<String>]) -> Vec<Vec<Tag>> {
        let mut tags: Vec<Vec<Tag>> = sentences
            .chunks(DOCUMENT_WINDOW)
            .flat_map(|window| self.tag_window(window))
            .collect();
        let keys: Vec<Vec<String>> = sentences
            .iter()
            .map(|s| {
                s.iter()
                    .map(|t| stem::strip_proclitics(&normalize::matching_key(t)).to_owned())
                    .collect()
            })
            .collect();
        let mut known: HashMap<&[String], [u32; 4]> = HashMap::new();
        for (sentence_keys, sentence_tags) in keys.iter().zip(&tags) {
            for span in tags::spans(sentence_tags) {
                let words = &sentence_keys[span.start..span.end];
                let single_common = words.len() == 1
                    && (words[0].chars().count() < 3 || stopwords::is_stopword(&words[0]));
                if span.end - span.start <= PROPAGATE_MAX_WORDS && !single_common {
                    known.entry(words).or_default()[span.ty as usize] += 1;
                }
            }
        }
        make_types_agree(&keys, &mut tags, &known);
        for (sentence_keys, sentence_tags) in keys.iter().zip(tags.iter_mut()) {
            let mut i = 0;
            while i < sentence_keys.len() {
                let mut step = 1;
                for n in (1..=PROPAGATE_MAX_WORDS.min(sentence_keys.len() - i)).rev() {
                    if sentence_tags[i..i + n].iter().any(|&t| t != Tag::O) {
                        continue;
                    }
                    let Some(counts) = known.get(&sentence_keys[i..i + n]) else {
                        continue;
                    };
                    let best = (0..4).max_by_key(|&t| counts[t]).unwrap_or(0);
                    let ty = EntityType::ALL[best];
                    let next_free = sentence_tags.get(i + n).is_none_or(|t| !t.is_inside());
                    if next_free {
                        sentence_tags[i] = Tag::begin(ty);
                        for t in &mut sentence_tags[i + 1..i + n] {
                            *t = Tag::inside(ty);
                        }
                        step = n;
                    }
                    break;
                }
                i += step;
            }
        }
        tags
    }

    /// The gazetteer sets the model was trained with.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Serializes to the gzip'd binary format described in the module docs.
    pub fn encode(&self) -> Vec<u8> {
        let mut raw = Vec::new();
        raw.extend_from_slice(MAGIC);
        raw.push(self.bits as u8);
        raw.extend_from_slice(&self.scale.to_le_bytes());
        for row in &self.transitions {
            for v in row {
                raw.extend_from_slice(&v.to_le_bytes());
            }
        }
        put_gazetteer(&mut raw, &self.gazetteer);
        put_varint(&mut raw, self.clusters.len() as u64);
        let mut last_hash = 0u32;
        for &(hash, path) in self.clusters.pairs() {
            put_varint(&mut raw, u64::from(hash - last_hash));
            put_varint(&mut raw, u64::from(path));
            last_hash = hash;
        }
        put_gazetteer(&mut raw, &self.lexicon.names);
        put_varint(&mut raw, self.lexicon.words.len() as u64);
        let mut last_hash = 0u32;
        for &(hash, counts) in &self.lexicon.words {
            put_varint(&mut raw, u64::from(hash - last_hash));
            for c in counts {
                put_varint(&mut raw, u64::from(c));
            }
            last_hash = hash;
        }
        let levels = self.clusters.flat_levels();
        put_varint(&mut raw, levels as u64);
        put_varint(&mut raw, self.clusters.flat_rows().len() as u64);
        let mut last_hash = 0u32;
        for &(hash, ids) in self.clusters.flat_rows() {
            put_varint(&mut raw, u64::from(hash - last_hash));
            for &id in &ids[..levels] {
                put_varint(&mut raw, u64::from(id));
            }
            last_hash = hash;
        }
        let nonzero = self.weights.iter().filter(|&&w| w != 0).count();
        put_varint(&mut raw, nonzero as u64);
        let mut last = 0usize;
        for (i, &w) in self.weights.iter().enumerate() {
            if w != 0 {
                put_varint(&mut raw, (i - last) as u64);
                put_varint(&mut raw, zigzag(w));
                last = i;
            }
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        // Writing to a Vec cannot fail.
        let _ = gz.write_all(&raw);
        gz.finish().unwrap_or_default()
    }

    /// Reads a model written by [`Model::encode`]; any malformed input is an error.
    pub fn decode(bytes: &[u8]) -> Result<Model, FactsError> {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .take(MAX_MODEL_BYTES)
            .read_to_end(&mut raw)
            .map_err(|e| bad(&format!("not gzip: {e}")))?;
        let mut r = Reader { buf: &raw, pos: 0 };
        let version = match r.bytes(8)? {
            m if m == MAGIC => 4,
            m if m == MAGIC_V3 => 3,
            m if m == MAGIC_V2 => 2,
            m if m == MAGIC_V1 => 1,
            _ => return Err(bad("wrong magic")),
        };
        let bits = u32::from(r.bytes(1)?[0]);
        if !(8..=MAX_BITS).contains(&bits) {
            return Err(bad("hash width out of range"));
        }
        let scale = r.f32()?;
        let mut transitions = [[0f32; Tag::COUNT]; TRANSITION_ROWS];
        for row in transitions.iter_mut() {
            for v in row.iter_mut() {
                *v = r.f32()?;
            }
        }
        let gazetteer = r.gazetteer()?;
        let mut clusters = WordClusters::default();
        if version >= 2 {
            let n = r.varint()? as usize;
            if n > MAX_WORDS || n > r.remaining() / 2 {
                return Err(bad("cluster table longer than allowed"));
            }
            let mut pairs = Vec::with_capacity(n);
            let mut hash = 0u32;
            for _ in 0..n {
                hash = r.next_hash(hash, "cluster hash out of range")?;
                let path = r.u16("cluster path out of range")?;
                pairs.push((hash, path));
            }
            clusters = WordClusters::from_pairs(pairs);
        }
        let mut lexicon = Lexicon::default();
        if version >= 3 {
            let names = r.gazetteer()?;
            let n = r.varint()? as usize;
            if n > MAX_LEXICON_WORDS || n > r.remaining() / 6 {
                return Err(bad("lexicon longer than allowed"));
            }
            let mut words = Vec::with_capacity(n);
            let mut hash = 0u32;
            for _ in 0..n {
                hash = r.next_hash(hash, "lexicon hash out of range")?;
                let mut counts: WordCounts = [0; 5];
                for c in counts.iter_mut() {
                    *c = r.u16("lexicon count out of range")?;
                }
                words.push((hash, counts));
            }
            lexicon = Lexicon::from_parts(names, words);
        }
        if version >= 4 {
            let levels = r.varint()? as usize;
            if levels > MAX_FLAT {
                return Err(bad("too many flat clusterings"));
            }
            let n = r.varint()? as usize;
            if n > MAX_WORDS || n > r.remaining() / (1 + levels) {
                return Err(bad("flat cluster table longer than allowed"));
            }
            let mut rows = Vec::with_capacity(n);
            let mut hash = 0u32;
            for _ in 0..n {
                hash = r.next_hash(hash, "flat cluster hash out of range")?;
                let mut ids = [0u16; MAX_FLAT];
                for id in &mut ids[..levels] {
                    *id = r.u16("flat cluster id out of range")?;
                }
                rows.push((hash, ids));
            }
            clusters = clusters.with_flat(levels, rows);
        }
        let len = (1usize << bits) * Tag::COUNT;
        let mut weights = vec![0i16; len];
        let nonzero = r.varint()?;
        let mut at = 0usize;
        for _ in 0..nonzero {
            at = at
                .checked_add(r.varint()? as usize)
                .filter(|&i| i < len)
                .ok_or_else(|| bad("weight index out of range"))?;
            weights[at] = unzigzag(r.varint()?)?;
        }
        Ok(Model {
            bits,
            scale,
            weights,
            transitions,
            gazetteer,
            clusters,
            lexicon,
        })
    }
}

fn put_gazetteer(out: &mut Vec<u8>, gazetteer: &Gazetteer) {
    for set in gazetteer.names.iter().chain(&gazetteer.words) {
        put_varint(out, set.len() as u64);
        for h in set {
            out.extend_from_slice(&h.to_le_bytes());
        }
    }
}

fn bad(message: &str) -> FactsError {
    FactsError::Model(message.to_owned())
}

// A hand-written LEB128 varint: ten lines, where a crate would add a
// dependency for two functions.
fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(v: i16) -> u64 {
    let v = i64::from(v);
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> Result<i16, FactsError> {
    let v = ((v >> 1) as i64) ^ -((v & 1) as i64);
    i16::try_from(v).map_err(|_| bad("weight out of range"))
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    fn bytes(&mut self, n: usize) -> Result<&'a [u8], FactsError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.buf.len())
            .ok_or_else(|| bad("truncated"))?;
        let out = &self.buf[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    /// The next hash of a table stored as gaps from the previous one.
    fn next_hash(&mut self, previous: u32, error: &str) -> Result<u32, FactsError> {
        u32::try_from(self.varint()?)
            .ok()
            .and_then(|gap| previous.checked_add(gap))
            .ok_or_else(|| bad(error))
    }

    /// A varint that must fit 16 bits.
    fn u16(&mut self, error: &str) -> Result<u16, FactsError> {
        u16::try_from(self.varint()?).map_err(|_| bad(error))
    }

    fn f32(&mut self) -> Result<f32, FactsError> {
        let b = self.bytes(4)?;
        let v = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        if v.is_finite() {
            Ok(v)
        } else {
            Err(bad("non-finite number"))
        }
    }

    fn gazetteer(&mut self) -> Result<Gazetteer, FactsError> {
        let mut gazetteer = Gazetteer::default();
        for set in gazetteer.names.iter_mut().chain(gazetteer.words.iter_mut()) {
            let n = self.varint()? as usize;
            if n > self.remaining() / 8 {
                return Err(bad("gazetteer set longer than the file"));
            }
            for _ in 0..n {
                let b = self.bytes(8)?;
                set.push(u64::from_le_bytes(
                    b.try_into().map_err(|_| bad("short hash"))?,
                ));
            }
        }
        gazetteer.finish();
        Ok(gazetteer)
    }

    fn varint(&mut self) -> Result<u64, FactsError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.bytes(1)?[0];
            v |= u64::from(b & 0x7F) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(bad("varint too long"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tags::EntityType;

    fn tiny_model() -> Model {
        let mut gazetteer = Gazetteer::default();
        gazetteer.add(EntityType::Location, "بغداد");
        gazetteer.finish();
        let mut weights = vec![0i16; (1 << 8) * Tag::COUNT];
        weights[5] = -3;
        weights[100] = 700;
        Model {
            bits: 8,
            scale: 0.5,
            weights,
            transitions: [[0.25; Tag::COUNT]; TRANSITION_ROWS],
            gazetteer,
            clusters: WordClusters::from_pairs([(7, 0b101), (90_000, 0b11)])
                .with_flat(3, [(7, [1, 40, 300, 0]), (12, [2, 41, 4000, 0])]),
            lexicon: Lexicon::from_parts(Gazetteer::default(), vec![(3, [1, 0, 2, 0, 0])]),
        }
    }

    #[test]
    fn encode_decode_round_trip() {
        let model = tiny_model();
        let decoded = Model::decode(&model.encode()).unwrap();
        assert_eq!(decoded, model);
        // The decoded sets are indexed: lookups work without a `finish`.
        assert_eq!(
            decoded.gazetteer().lookup("وبغداد"),
            1 << EntityType::Location as u8
        );
    }

    #[test]
    fn flat_clusters_survive_the_round_trip() {
        let model = tiny_model();
        let decoded = Model::decode(&model.encode()).unwrap();
        assert_eq!(decoded.clusters.flat_levels(), 3);
        assert_eq!(decoded.clusters.flat_rows(), model.clusters.flat_rows());
        // A model without flat clusters stays without.
        let plain = Model {
            clusters: WordClusters::from_pairs([(7, 0b101)]),
            ..tiny_model()
        };
        let decoded = Model::decode(&plain.encode()).unwrap();
        assert_eq!(decoded, plain);
        assert_eq!(decoded.clusters.flat_levels(), 0);
    }

    #[test]
    fn hostile_flat_tables_are_errors() {
        // A model whose file ends with the flat table (no rows) and the
        // weights (none).
        let model = Model {
            weights: vec![0; (1 << 8) * Tag::COUNT],
            clusters: WordClusters::default(),
            ..tiny_model()
        };
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(&model.encode()[..])
            .read_to_end(&mut raw)
            .unwrap();
        let at = raw.len() - 3;
        assert_eq!(&raw[at..], [0, 0, 0], "levels, rows, weights");
        let gz = |raw: &[u8]| {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(raw).unwrap();
            gz.finish().unwrap()
        };
        assert!(Model::decode(&gz(&raw)).is_ok());
        for (levels, rows) in [(MAX_FLAT as u8 + 1, 0u8), (1, 0x7F), (0, 0x7F)] {
            let mut bad = raw.clone();
            bad[at] = levels;
            bad[at + 1] = rows;
            assert!(Model::decode(&gz(&bad)).is_err(), "{levels} {rows}");
        }
    }

    #[test]
    fn hostile_bytes_are_errors() {
        assert!(Model::decode(b"").is_err());
        assert!(Model::decode("بغداد".as_bytes()).is_err());
        let good = tiny_model().encode();
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(&good[..])
            .read_to_end(&mut raw)
            .unwrap();
        for cut in [9, 20, raw.len() - 1] {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(&raw[..cut]).unwrap();
            assert!(
                Model::decode(&gz.finish().unwrap()).is_err(),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn names_propagate_within_a_document() {
        let model = Model::embedded();
        let words = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        let doc = vec![
            words("قال رئيس مجلس إدارة البنك العربي إن الأرباح ارتفعت"),
            words("وأضاف أن العربي سيفتتح فروعا جديدة"),
        ];
        let tags = model.tag_document(&doc);
        assert_eq!(tags.len(), 2);
        assert_eq!(tags[1].len(), doc[1].len());
        // Whatever the first sentence calls an entity, the same words are
        // tagged alike in the second when the tagger left them untagged.
        let first = tags::spans(&tags[0]);
        for span in first.iter().filter(|s| s.end - s.start == 1) {
            let key =
                stem::strip_proclitics(&normalize::matching_key(&doc[0][span.start])).to_owned();
            for (i, w) in doc[1].iter().enumerate() {
                if stem::strip_proclitics(&normalize::matching_key(w)) == key
                    && !stopwords::is_stopword(&key)
                {
                    assert_ne!(tags[1][i], Tag::O, "{w}");
                }
            }
        }
        for t in &tags {
            let mut prev = None;
            for tag in t {
                assert!(tag.may_follow(prev));
                prev = Some(*tag);
            }
        }
    }

    #[test]
    fn people_joined_by_wa_are_split() {
        let model = Model::embedded();
        let tokens: Vec<String> = ["بايدن", "والكاظمي"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut tags = vec![
            Tag::begin(EntityType::Person),
            Tag::inside(EntityType::Person),
        ];
        model.split_joined_people(&tokens, &mut tags);
        assert_eq!(tags[1], Tag::begin(EntityType::Person));
        let tokens: Vec<String> = ["أبو", "وليد"].iter().map(|s| s.to_string()).collect();
        let mut tags = vec![
            Tag::begin(EntityType::Person),
            Tag::inside(EntityType::Person),
        ];
        model.split_joined_people(&tokens, &mut tags);
        assert_eq!(tags[1], Tag::inside(EntityType::Person));
    }

    #[test]
    fn a_name_takes_its_most_frequent_type() {
        let keys: Vec<Vec<String>> = vec![
            vec!["زار".into(), "جورجيا".into()],
            vec!["في".into(), "جورجيا".into(), "امس".into()],
        ];
        let (loc, per) = (EntityType::Location, EntityType::Person);
        let mut tags = vec![
            vec![Tag::O, Tag::begin(per)],
            vec![Tag::O, Tag::begin(loc), Tag::O],
        ];
        let mut known: HashMap<&[String], [u32; 4]> = HashMap::new();
        known.insert(&keys[0][1..2], [1, 2, 0, 0]);
        make_types_agree(&keys, &mut tags, &known);
        assert_eq!(tags[0][1], Tag::begin(loc));
        assert_eq!(tags[1][1], Tag::begin(loc));
        // A tie keeps each span's own type.
        let mut tags = vec![
            vec![Tag::O, Tag::begin(per)],
            vec![Tag::O, Tag::begin(loc), Tag::O],
        ];
        known.insert(&keys[0][1..2], [1, 1, 0, 0]);
        make_types_agree(&keys, &mut tags, &known);
        assert_eq!((tags[0][1], tags[1][1]), (Tag::begin(per), Tag::begin(loc)));
    }

    #[test]
    fn entities_widen_to_listed_names() {
        let per = EntityType::Person;
        let name = [Span {
            start: 1,
            end: 4,
            ty: per,
        }];
        let (b, i, o) = (Tag::begin(per), Tag::inside(per), Tag::O);
        let mut tags = vec![o, b, i, o, o];
        extend_to_names(&name, &mut tags);
        assert_eq!(tags, [o, b, i, i, o]);
        // A name the tagger saw nothing of is tagged; one read as another type stays.
        let mut tags = vec![o; 5];
        extend_to_names(&name, &mut tags);
        assert_eq!(tags, [o, b, i, i, o]);
        let loc = Tag::begin(EntityType::Location);
        let mut tags = vec![o, b, loc, o, o];
        extend_to_names(&name, &mut tags);
        assert_eq!(tags, [o, b, loc, o, o]);
        // An entity already running into the name keeps its start.
        let mut tags = vec![b, i, o, o, o];
        extend_to_names(&name, &mut tags);
        assert_eq!(tags, [b, i, i, i, o]);
    }

    #[test]
    fn viterbi_never_starts_inside() {
        let mut emissions = vec![[0.0; Tag::COUNT]; 3];
        // I-LOC scores best everywhere; the path must still be valid BIO.
        for row in emissions.iter_mut() {
            row[Tag::inside(EntityType::Location).index()] = 5.0;
        }
        let path = viterbi(&emissions, &[[0.0; Tag::COUNT]; TRANSITION_ROWS]);
        assert_eq!(path[0], Tag::begin(EntityType::Location));
        assert_eq!(path[1], Tag::inside(EntityType::Location));
    }
}
