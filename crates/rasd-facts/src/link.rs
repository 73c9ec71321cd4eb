//! Entity linking: mentions (surface text and type) in, canonical entities
//! with their aliases out.
//!
//! A mention is reduced to a key: matching key, first word's proclitics
//! stripped, leading titles dropped (الرئيس الأمريكي جو بايدن → جو بايدن).
//! It links, in order, to: the entity of a known alias pair
//! ([`ALIASES`]); an entity with the same key; for a one-word mention, a
//! longer entity of the same type ending (or, for places and
//! organizations, starting) with that word (بايدن → جو بايدن); an entity of
//! the same type whose key is a spelling variant (`spelling_variants`:
//! أوستن/اوتسن, ويليام/وليام, عبدالله/عبد الله; not محمد/محمود).
//! Otherwise it starts a new entity.
//!
//! A linker can be persisted and restored: [`Linker::take_changes`] says
//! which alias keys, entities and names linking added or changed since the
//! last call, and [`Linker::restore`] rebuilds a linker from stored
//! entities (in id order) so that a later run links as if it had never
//! stopped (a «بايدن» read tomorrow links to yesterday's «جو بايدن»).

use crate::gazetteer::Gazetteer;
use crate::tags::EntityType;
use rasd_text::{normalize, stem};
use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

/// Most surface forms kept per entity.
const MAX_ALIASES: usize = 64;

/// Known alias pairs (alias, canonical name), in any spelling.
pub const ALIASES: &[(&str, &str)] = &[
    ("داعش", "تنظيم الدولة الإسلامية"),
    ("الدولة الإسلامية", "تنظيم الدولة الإسلامية"),
    ("تنظيم داعش", "تنظيم الدولة الإسلامية"),
    ("الناتو", "حلف شمال الأطلسي"),
    ("وزارة الدفاع الأمريكية", "البنتاغون"),
    ("الولايات المتحدة الأمريكية", "الولايات المتحدة"),
    ("أمريكا", "الولايات المتحدة"),
];

/// [`ALIASES`] as (alias key, canonical key, canonical name), computed once.
fn alias_keys() -> &'static [(String, String, &'static str)] {
    static KEYS: OnceLock<Vec<(String, String, &'static str)>> = OnceLock::new();
    KEYS.get_or_init(|| {
        ALIASES
            .iter()
            .map(|(alias, canonical)| (mention_key(alias), mention_key(canonical), *canonical))
            .collect()
    })
}

/// Titles and their adjectives dropped from the front of a mention.
pub(crate) fn is_title(word: &str) -> bool {
    matches!(
        word,
        "رئيس"
            | "الرئيس"
            | "وزير"
            | "الوزير"
            | "السيد"
            | "الشيخ"
            | "اللواء"
            | "الدكتور"
            | "الملك"
            | "الامير"
            | "النائب"
            | "الزعيم"
            | "المتحدث"
            | "الجنرال"
            | "العميد"
            | "الفريق"
            | "السفير"
            | "المبعوث"
            | "زعيم"
            | "سيد"
    )
}

/// How many leading words of a mention (matching-key words) are titles.
fn title_words(words: &[&str]) -> usize {
    let mut start = 0;
    while start + 1 < words.len() && is_title(words[start]) {
        start += 1;
        // Adjectives after a title: الرئيس الأمريكي, وزير الدفاع.
        while start + 1 < words.len()
            && words[start].starts_with("ال")
            && (words[start].ends_with('ي')
                || words[start].ends_with("يه")
                || words[start] == "الدفاع")
        {
            start += 1;
        }
    }
    // A leading adjective before a full name: الأمريكي جو بايدن.
    if start == 0
        && words.len() >= 3
        && words[0].starts_with("ال")
        && (words[0].ends_with('ي') || words[0].ends_with("يه"))
    {
        start = 1;
    }
    start
}

/// Key of a mention (see the module docs).
pub fn mention_key(text: &str) -> String {
    let key = normalize::matching_key(text);
    let words: Vec<&str> = key.split_whitespace().collect();
    let mut out: Vec<&str> = words[title_words(&words)..].to_vec();
    if let Some(first) = out.first_mut() {
        *first = stem::strip_proclitics(first);
    }
    out.join(" ")
}

/// One canonical entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// The display name: the longest surface seen (or the alias table's name).
    pub name: String,
    pub ty: EntityType,
    /// Every surface form seen.
    pub aliases: BTreeSet<String>,
    key: String,
}

impl Entity {
    /// The canonical key the entity is found by (its name's mention key).
    pub fn key(&self) -> &str {
        &self.key
    }
}

/// A stored entity to restore a [`Linker`] from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownEntity {
    pub name: String,
    pub ty: EntityType,
    /// The canonical key ([`Entity::key`]).
    pub key: String,
    /// Every alias key that links to it, with the surface first seen for it.
    pub aliases: Vec<(String, String)>,
}

/// An alias key that started linking to an entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAlias {
    pub key: String,
    pub entity: usize,
    /// The display form of the mention that brought the key.
    pub alias: String,
}

/// What linking changed since the last [`Linker::take_changes`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkChanges {
    /// Entities with ids from this one on are new.
    pub first_new: usize,
    pub aliases: Vec<NewAlias>,
    /// Older entities whose name (and canonical key) changed.
    pub renamed: Vec<usize>,
}

/// Links mentions to entities across any number of articles.
#[derive(Debug, Clone, Default)]
pub struct Linker {
    gazetteer: Option<Gazetteer>,
    entities: Vec<Entity>,
    by_key: HashMap<String, usize>,
    /// Entities by the first and the last word (proclitics stripped) of a
    /// many-word key, and by a one-word key: candidates for the surname and
    /// short-form rules, checked against the entity's current key.
    by_edge_word: HashMap<String, Vec<usize>>,
    by_single_word: HashMap<String, Vec<usize>>,
    /// Each entity's key shape, by id, for the edit-distance rule's filter.
    shapes: Vec<Shape>,
    /// Entity count at the last [`Linker::take_changes`].
    persisted: usize,
    new_aliases: Vec<NewAlias>,
    renamed: BTreeSet<usize>,
}

/// Length and character set of a key and of its last word, enough to rule
/// out most pairs before an edit distance is computed: a string within `k`
/// edits of another lacks at most `k` of the other's characters.
#[derive(Debug, Clone, Copy, Default)]
struct Shape {
    len: usize,
    mask: u64,
    last_len: usize,
    last_mask: u64,
}

/// Character count (at most 64, as [`word_variants`] reads) and a
/// 64-bit set of the characters (hashed, so two characters may share a bit,
/// which only makes sets look closer: the filter stays exact).
fn char_set(text: &str) -> (usize, u64) {
    let mut len = 0;
    let mut mask = 0u64;
    for c in text.chars().take(64) {
        len += 1;
        mask |= 1 << ((c as u32).wrapping_mul(0x9E37_79B1) >> 26);
    }
    (len, mask)
}

impl Shape {
    fn of(key: &str) -> Shape {
        let (len, mask) = char_set(key);
        let (last_len, last_mask) = char_set(key.rsplit(' ').next().unwrap_or(key));
        Shape {
            len,
            mask,
            last_len,
            last_mask,
        }
    }
}

/// Whether two strings of these shapes may be within `limit` edits.
fn may_be_within(a: (usize, u64), b: (usize, u64), limit: usize) -> bool {
    a.0.abs_diff(b.0) <= limit
        && (a.1 & !b.1).count_ones() as usize <= limit
        && (b.1 & !a.1).count_ones() as usize <= limit
}

/// Most words that may differ between two spellings of one name.
const MAX_VARIANT_WORDS: usize = 2;

/// Whether two name keys spell one name: the same words but for spacing
/// («عبدالله»/«عبد الله», «فولكسفاغن»/«فولكس فاغن»), or word by word the
/// same but for at most [`MAX_VARIANT_WORDS`] words that are spelling
/// variants of each other ([`word_variants`]).
///
/// A plain edit distance over the whole key linked different people:
/// «محمد حسين» and «محمود حسن», «فلاديمير كوجين» and «فلاديمير بوتين»,
/// «الاتحاد الأمريكي» and «الاتحاد الأفريقي» are two edits apart.
fn spelling_variants(a: &str, b: &str, known: &dyn Fn(&str) -> bool) -> bool {
    if a == b || a.replace(' ', "") == b.replace(' ', "") {
        return true;
    }
    let (aw, bw): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    if aw.len() != bw.len() {
        return false;
    }
    let mut differing = 0;
    for (x, y) in aw.iter().zip(&bw) {
        if x != y {
            differing += 1;
            if differing > MAX_VARIANT_WORDS || !word_variants(x, y, known) {
                return false;
            }
        }
    }
    true
}

/// Letters transliteration confuses: one foreign sound, several Arabic
/// spellings (Mitsubishi: س/ش, Benítez: ت/ط, Gonzalez: ج/غ/ق/ك…).
const CONFUSABLE: &[&str] = &[
    "سصثش", "تط", "زذظ", "دض", "كقگک", "جغچ", "فڤ", "بپ", "هحة", "يىی", "وؤ",
];

/// Long vowels and hamza seats: foreign names gain and lose them freely
/// («بلاتير»/«بلاتر», «رافائيل»/«رافاييل»).
fn is_vowel_letter(c: char) -> bool {
    matches!(
        c,
        'ا' | 'و' | 'ي' | 'ى' | 'ی' | 'ء' | 'ئ' | 'ؤ' | 'أ' | 'إ' | 'آ'
    )
}

/// Whether two words are spellings of one name: within a weighted
/// optimal-string-alignment distance where an adjacent swap, a swap of
/// confusable letters and (in words of six letters or more) a long vowel
/// gained, lost or changed cost 1, and any other edit 2; at most 1 for
/// words up to eight letters, 2 for longer ones. Words under four
/// letters never vary, and a letter gained or lost at the end (the nisba
/// «ي» of «الرشيدي», «ة») is a full edit: those are other names. `known`
/// says whether the name lists hold a word (see [`Linker::knows_word`]).
fn word_variants(a: &str, b: &str, known: &dyn Fn(&str) -> bool) -> bool {
    // Two words the name lists both hold are two names: «العربية» and
    // «العبرية», «سلمان» and «سليمان», «أحمد» and «حامد».
    if known(a) && known(b) {
        return false;
    }
    let a: Vec<char> = a.chars().take(64).collect();
    let b: Vec<char> = b.chars().take(64).collect();
    let (short, long) = (a.len().min(b.len()), a.len().max(b.len()));
    if short < 4 {
        return false;
    }
    let budget = if long >= 9 { 2 } else { 1 };
    if long - short > budget {
        return false;
    }
    let vowels_vary = long >= 6;
    let confusable = |x: char, y: char| {
        CONFUSABLE
            .iter()
            .any(|class| class.contains(x) && class.contains(y))
    };
    let substitution = |x: char, y: char| {
        if x == y {
            0
        } else if confusable(x, y) || (vowels_vary && is_vowel_letter(x) && is_vowel_letter(y)) {
            1
        } else {
            2
        }
    };
    let indel = |c: char, at_end: bool| {
        if vowels_vary && !at_end && is_vowel_letter(c) {
            1
        } else {
            2
        }
    };
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in 1..=a.len() {
        d[i][0] = d[i - 1][0] + indel(a[i - 1], i == a.len());
    }
    for j in 1..=b.len() {
        d[0][j] = d[0][j - 1] + indel(b[j - 1], j == b.len());
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let mut v = (d[i - 1][j] + indel(a[i - 1], i == a.len()))
                .min(d[i][j - 1] + indel(b[j - 1], j == b.len()))
                .min(d[i - 1][j - 1] + substitution(a[i - 1], b[j - 1]));
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()] <= budget
}

/// Display form of a surface: titles dropped, and the first word's
/// conjunction or preposition removed when what follows is an article
/// (وللكاظمي → الكاظمي) or a name the gazetteer knows (لإيران → إيران),
/// so that names whose first letter only looks like a clitic (واشنطن,
/// فؤاد) stay whole.
fn display_name(surface: &str, gazetteer: Option<&Gazetteer>) -> String {
    let key = normalize::matching_key(surface);
    let key_words: Vec<&str> = key.split_whitespace().collect();
    let shown = normalize::display(surface);
    let shown_words: Vec<&str> = shown
        .split_whitespace()
        .skip(title_words(&key_words))
        .collect();
    let Some((first, rest)) = shown_words.split_first() else {
        return String::new();
    };
    let first_key = normalize::matching_key(first);
    let chars: Vec<char> = first.chars().collect();
    let mut first_out = (*first).to_owned();
    // Harakat make display and key lengths differ; then keep the word as it is.
    if first_key.chars().count() == chars.len() {
        // A known name under the proclitics, unless the whole word is one
        // («وهران»); `lookup` would strip the proclitics itself.
        let known = |w: &str| {
            gazetteer.is_some_and(|g| g.lookup(w) != 0 && g.lookup_exact(&first_key) == 0)
        };
        let key_chars: Vec<char> = first_key.chars().collect();
        let mut drop = 0;
        if matches!(key_chars.first(), Some('و' | 'ف')) && key_chars.len() > 3 {
            drop = 1;
        }
        if matches!(key_chars.get(drop), Some('ب' | 'ل' | 'ك')) && key_chars.len() > drop + 3 {
            drop += 1;
        }
        for d in (1..=drop).rev() {
            let rest_key: String = key_chars[d..].iter().collect();
            let rest: String = chars[d..].iter().collect();
            // An article needs a word after it: «وكالة» is no و + ك + «الة»,
            // whatever short name «الة» may spell.
            let strip = if rest_key.starts_with("ال") {
                rest_key.chars().count() >= 5
            } else {
                known(&rest_key)
            };
            if strip {
                first_out = rest;
                break;
            }
            if key_chars[d - 1] == 'ل' && rest_key.starts_with('ل') && chars.len() > d + 2 {
                // لل = ل + ال with the alef dropped.
                first_out = format!("ا{rest}");
                break;
            }
        }
    }
    std::iter::once(first_out.as_str())
        .chain(rest.iter().copied())
        .collect::<Vec<_>>()
        .join(" ")
}

impl Linker {
    pub fn new() -> Linker {
        Linker::default()
    }

    /// A linker that consults a gazetteer to tell clitics from name letters.
    pub fn with_gazetteer(gazetteer: Gazetteer) -> Linker {
        Linker {
            gazetteer: Some(gazetteer),
            ..Linker::default()
        }
    }

    /// A linker holding `known` entities, which take ids 0, 1, … in the
    /// order given (give them in the order they were created, so linking
    /// picks the same entity it would have picked without the restart).
    /// Nothing restored counts as a change.
    pub fn restore(
        gazetteer: Option<Gazetteer>,
        known: impl IntoIterator<Item = KnownEntity>,
    ) -> Linker {
        let mut linker = Linker {
            gazetteer,
            ..Linker::default()
        };
        for entity in known {
            let id = linker.entities.len();
            let mut aliases = BTreeSet::new();
            for (key, alias) in entity.aliases {
                if aliases.len() < MAX_ALIASES {
                    aliases.insert(alias);
                }
                linker.by_key.entry(key).or_insert(id);
            }
            linker.by_key.entry(entity.key.clone()).or_insert(id);
            linker.entities.push(Entity {
                name: entity.name,
                ty: entity.ty,
                aliases,
                key: entity.key,
            });
            linker.index(id);
        }
        linker.persisted = linker.entities.len();
        linker
    }

    /// New alias keys, new entities and renamed entities since the last call.
    pub fn take_changes(&mut self) -> LinkChanges {
        let first_new = self.persisted;
        self.persisted = self.entities.len();
        LinkChanges {
            first_new,
            aliases: std::mem::take(&mut self.new_aliases),
            renamed: std::mem::take(&mut self.renamed)
                .into_iter()
                .filter(|&id| id < first_new)
                .collect(),
        }
    }

    /// The entity with id `id` (ids come from [`Linker::link`]).
    pub fn entity(&self, id: usize) -> &Entity {
        &self.entities[id]
    }

    /// All entities, by id.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// Indexes entity `id` under its current key (again after a rename; the
    /// old entries stay and are filtered out when looked up).
    fn index(&mut self, id: usize) {
        let key = &self.entities[id].key;
        if key.contains(' ') {
            let words: Vec<&str> = key.split(' ').map(stem::strip_proclitics).collect();
            for word in [words[0], words[words.len() - 1]] {
                let ids = self.by_edge_word.entry(word.to_owned()).or_default();
                if ids.last() != Some(&id) {
                    ids.push(id);
                }
            }
        } else {
            self.by_single_word.entry(key.clone()).or_default().push(id);
        }
        let shape = Shape::of(key);
        if id < self.shapes.len() {
            self.shapes[id] = shape;
        } else {
            self.shapes.push(shape);
        }
    }

    /// Whether the name lists hold a word of a key (its proclitics
    /// stripped, as the lists index their words).
    fn knows_word(&self, word: &str) -> bool {
        self.gazetteer
            .as_ref()
            .is_some_and(|g| g.word_types(stem::strip_proclitics(word)) != 0)
    }

    fn find(&self, key: &str, ty: EntityType) -> Option<usize> {
        if let Some((_, canonical, _)) = alias_keys().iter().find(|(alias, _, _)| alias == key) {
            return self.by_key.get(canonical).copied();
        }
        if let Some(&id) = self.by_key.get(key) {
            return Some(id);
        }
        // The lowest id that passes `rule` among `candidates`: the entity
        // a scan in id order would find first.
        let first = |candidates: Option<&Vec<usize>>, rule: &dyn Fn(&Entity) -> bool| {
            candidates.and_then(|ids| {
                ids.iter()
                    .copied()
                    .filter(|&id| rule(&self.entities[id]))
                    .min()
            })
        };
        let words: Vec<&str> = key.split(' ').collect();
        if words.len() == 1 {
            let hit = first(self.by_edge_word.get(words[0]), &|e| {
                e.ty == ty && e.key.contains(' ') && {
                    let ew: Vec<&str> = e.key.split(' ').map(stem::strip_proclitics).collect();
                    ew.last() == Some(&words[0]) || (ty != EntityType::Person && ew[0] == words[0])
                }
            });
            if hit.is_some() {
                return hit;
            }
        } else if let Some(last) = words.last() {
            let last = stem::strip_proclitics(last);
            let hit = first(self.by_single_word.get(last), &|e| {
                e.ty == ty && !e.key.contains(' ') && e.key == last
            });
            if hit.is_some() {
                return hit;
            }
        }
        let n = key.chars().count();
        if n >= 5 {
            let known = |word: &str| self.knows_word(word);
            // A word varies by at most 2 letters, a key in at most
            // MAX_VARIANT_WORDS words: the shape filter's bounds.
            let (word_limit, key_limit) = (2, 2 * MAX_VARIANT_WORDS);
            let probe = char_set(key);
            return self
                .entities
                .iter()
                .zip(&self.shapes)
                .position(|(e, shape)| {
                    e.ty == ty
                        && ((may_be_within((shape.len, shape.mask), probe, key_limit)
                            && spelling_variants(&e.key, key, &known))
                            || (words.len() == 1
                                && may_be_within(
                                    (shape.last_len, shape.last_mask),
                                    probe,
                                    word_limit,
                                )
                                && e.key
                                    .rsplit(' ')
                                    .next()
                                    .is_some_and(|last| word_variants(last, key, &known))))
                });
        }
        None
    }

    /// The entity a phrase the recognizer did not tag names, without
    /// linking it: one of type `ty` with the same key, or, for one word,
    /// with that last name («سترول» → «دانا سترول»). No fuzzy matching:
    /// the phrase is a guess (a quote's speaker), not a recognized mention.
    pub fn resolve(&self, surface: &str, ty: EntityType) -> Option<usize> {
        let key = mention_key(surface);
        if key.is_empty() {
            return None;
        }
        if let Some(&id) = self.by_key.get(&key) {
            return (self.entities[id].ty == ty).then_some(id);
        }
        if key.contains(' ') {
            return None;
        }
        self.by_edge_word.get(&key).and_then(|ids| {
            ids.iter()
                .copied()
                .filter(|&id| {
                    let e = &self.entities[id];
                    e.ty == ty
                        && e.key.contains(' ')
                        && e.key.rsplit(' ').next().map(stem::strip_proclitics)
                            == Some(key.as_str())
                })
                .min()
        })
    }

    /// Links one mention and returns its entity id.
    pub fn link(&mut self, surface: &str, ty: EntityType) -> usize {
        let key = mention_key(surface);
        let name = display_name(surface, self.gazetteer.as_ref());
        let id = match self.find(&key, ty) {
            Some(id) => id,
            None => {
                let canonical = alias_keys()
                    .iter()
                    .find(|(alias, _, _)| *alias == key)
                    .map(|(_, canonical_key, c)| ((*c).to_owned(), canonical_key.clone()));
                let (name, key) = canonical.unwrap_or_else(|| (name.clone(), key.clone()));
                let id = self.entities.len();
                self.new_aliases.push(NewAlias {
                    key: key.clone(),
                    entity: id,
                    alias: name.clone(),
                });
                self.entities.push(Entity {
                    name,
                    ty,
                    aliases: BTreeSet::new(),
                    key: key.clone(),
                });
                self.by_key.insert(key, id);
                self.index(id);
                id
            }
        };
        if !self.by_key.contains_key(&key) {
            self.by_key.insert(key.clone(), id);
            self.new_aliases.push(NewAlias {
                key: key.clone(),
                entity: id,
                alias: name.clone(),
            });
        }
        let entity = &mut self.entities[id];
        if entity.aliases.len() < MAX_ALIASES {
            entity.aliases.insert(name.clone());
        }
        // «وإيران» seen first, then «إيران»: the name without the conjunction
        // or preposition wins.
        let clitic = entity
            .name
            .strip_suffix(name.as_str())
            .filter(|head| matches!(*head, "و" | "ف" | "ب" | "ل" | "وب" | "ول" | "فب" | "فل"));
        if clitic.is_some() && !name.is_empty() {
            entity.name = name.clone();
            self.renamed.insert(id);
        }
        let is_alias_name = ALIASES.iter().any(|(_, c)| *c == entity.name);
        if !is_alias_name && key.split(' ').count() > entity.key.split(' ').count() {
            entity.name = name;
            entity.key = key.clone();
            self.by_key.insert(key, id);
            self.renamed.insert(id);
            self.index(id);
        }
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_variants_link_and_other_names_do_not() {
        let variants =
            |a: &str, b: &str| spelling_variants(&mention_key(a), &mention_key(b), &|_| false);
        for (a, b) in [
            ("لويد أوستن", "لويد اوتسن"),
            ("جوزيف بلاتير", "جوزيف بلاتر"),
            ("رافائيل بينيتيز", "رافاييل بينيتيز"),
            ("سيزار اسبيليكويتا", "سيزار اسبيلكويتا"),
            ("عبدالله العتيبي", "عبد الله العتيبي"),
            ("كو ميونج", "كو ميونغ"),
            ("ميتشوبيشي", "ميتسوبيشي"),
            ("حسین أمیر عبد اللهیان", "حسين أمير عبد اللهيان"),
        ] {
            assert!(variants(a, b), "{a} / {b}");
            assert!(variants(b, a), "{b} / {a}");
        }
        for (a, b) in [
            ("محمد حسين", "محمود حسن"),
            ("محمود عبد العزيز", "محمد عبد العزيز"),
            ("فلاديمير كوجين", "فلاديمير بوتين"),
            ("الاتحاد الأمريكي", "الاتحاد الأفريقي"),
            ("الدفاع الإيرانية", "الدفاع اليابانية"),
            ("محمد السهلي", "محمد السلمي"),
            ("عبد الله الرشيد", "عبد الله السعيد"),
            ("عبد الله الرشيد", "عبد الله الرشيدي"),
            ("جورج كلاين", "جورج كلوني"),
            ("لايسي", "لايتي"),
            ("نواف الغامدي", "يوسف الغامدي"),
        ] {
            assert!(!variants(a, b), "{a} / {b}");
            assert!(!variants(b, a), "{b} / {a}");
        }
    }

    #[test]
    fn two_listed_words_are_two_names() {
        let mut gazetteer = Gazetteer::default();
        gazetteer.add(EntityType::Organization, "الجامعة العربية");
        gazetteer.add(EntityType::Organization, "الجامعة العبرية");
        gazetteer.finish();
        let mut linker = Linker::with_gazetteer(gazetteer);
        let arab = linker.link("الجامعة العربية", EntityType::Organization);
        assert_ne!(
            linker.link("الجامعة العبرية", EntityType::Organization),
            arab
        );
        // Without the lists, one letter swapped is a spelling variant.
        let mut bare = Linker::default();
        let arab = bare.link("الجامعة العربية", EntityType::Organization);
        assert_eq!(bare.link("الجامعة العبرية", EntityType::Organization), arab);
    }

    #[test]
    fn a_variant_of_a_known_person_links_to_them_and_a_namesake_does_not() {
        let mut linker = Linker::default();
        let putin = linker.link("فلاديمير بوتين", EntityType::Person);
        assert_ne!(linker.link("فلاديمير كوجين", EntityType::Person), putin);
        let blatter = linker.link("جوزيف بلاتير", EntityType::Person);
        assert_eq!(linker.link("جوزيف بلاتر", EntityType::Person), blatter);
        let hassan = linker.link("محمود حسن", EntityType::Person);
        assert_ne!(linker.link("محمد حسين", EntityType::Person), hassan);
    }

    /// The linking rules as a plain scan in id order: what the indexes must
    /// reproduce exactly.
    fn scan_find(linker: &Linker, key: &str, ty: EntityType) -> Option<usize> {
        for (alias, canonical) in ALIASES {
            if mention_key(alias) == key {
                return linker.by_key.get(&mention_key(canonical)).copied();
            }
        }
        if let Some(&id) = linker.by_key.get(key) {
            return Some(id);
        }
        let words: Vec<&str> = key.split(' ').collect();
        if words.len() == 1 {
            let hit = linker.entities.iter().position(|e| {
                e.ty == ty && e.key.contains(' ') && {
                    let ew: Vec<&str> = e.key.split(' ').map(stem::strip_proclitics).collect();
                    ew.last() == Some(&words[0]) || (ty != EntityType::Person && ew[0] == words[0])
                }
            });
            if hit.is_some() {
                return hit;
            }
        } else if let Some(last) = words.last() {
            let last = stem::strip_proclitics(last);
            let hit = linker
                .entities
                .iter()
                .position(|e| e.ty == ty && !e.key.contains(' ') && e.key == last);
            if hit.is_some() {
                return hit;
            }
        }
        let n = key.chars().count();
        if n >= 5 {
            let known = |word: &str| linker.knows_word(word);
            return linker.entities.iter().position(|e| {
                e.ty == ty
                    && (spelling_variants(&e.key, key, &known)
                        || (words.len() == 1
                            && e.key
                                .rsplit(' ')
                                .next()
                                .is_some_and(|last| word_variants(last, key, &known))))
            });
        }
        None
    }

    const WORDS: &[&str] = &[
        "جو",
        "بايدن",
        "بايدين",
        "لويد",
        "أوستن",
        "اوتسن",
        "الرئيس",
        "الأمريكي",
        "مصطفى",
        "الكاظمي",
        "والكاظمي",
        "بغداد",
        "وبغداد",
        "داعش",
        "الدولة",
        "الإسلامية",
        "تنظيم",
        "حزب",
        "الله",
        "محمد",
        "شياع",
        "السوداني",
        "سودان",
    ];

    proptest::proptest! {
        #[test]
        fn indexes_find_what_a_scan_finds(
            mentions in proptest::collection::vec(
                (proptest::collection::vec(0..WORDS.len(), 1..4), 0..4usize),
                1..40,
            )
        ) {
            let mut linker = Linker::new();
            for (words, ty) in mentions {
                let surface: Vec<&str> = words.iter().map(|&w| WORDS[w]).collect();
                let surface = surface.join(" ");
                let ty = EntityType::ALL[ty];
                let key = mention_key(&surface);
                proptest::prop_assert_eq!(linker.find(&key, ty), scan_find(&linker, &key, ty));
                linker.link(&surface, ty);
            }
        }
    }

    #[test]
    fn titles_clitics_and_surnames_link() {
        let mut linker = Linker::new();
        let biden = linker.link("الرئيس الأمريكي جو بايدن", EntityType::Person);
        assert_eq!(linker.entity(biden).name, "جو بايدن");
        assert_eq!(linker.link("بايدن", EntityType::Person), biden);
        assert_eq!(linker.link("جو بايدن", EntityType::Person), biden);
        let austin = linker.link("لويد أوستن", EntityType::Person);
        assert_ne!(austin, biden);
        assert_eq!(linker.link("اوتسن", EntityType::Person), austin);
        assert_eq!(linker.link("لويد اوستن", EntityType::Person), austin);
        let baghdad = linker.link("بغداد", EntityType::Location);
        assert_eq!(linker.link("وبغداد", EntityType::Location), baghdad);
        assert_ne!(baghdad, biden);
    }

    #[test]
    fn resolving_a_last_name_finds_the_full_name_without_linking() {
        let mut linker = Linker::new();
        let stroul = linker.link("دانا سترول", EntityType::Person);
        assert_eq!(linker.resolve("سترول", EntityType::Person), Some(stroul));
        assert_eq!(linker.resolve("سترول", EntityType::Location), None);
        assert_eq!(linker.resolve("المسؤول الأمريكي", EntityType::Person), None);
        assert_eq!(linker.entities().len(), 1);
        assert!(linker
            .take_changes()
            .aliases
            .iter()
            .all(|a| a.key != "سترول"));
    }

    #[test]
    fn a_name_seen_without_its_clitic_replaces_the_one_with_it() {
        let mut linker = Linker::new();
        let iran = linker.link("وإيران", EntityType::Location);
        linker.take_changes();
        assert_eq!(linker.link("إيران", EntityType::Location), iran);
        assert_eq!(linker.entity(iran).name, "إيران");
        assert_eq!(linker.take_changes().renamed, vec![iran]);
    }

    #[test]
    fn alias_pairs_link() {
        let mut linker = Linker::new();
        let isis = linker.link("داعش", EntityType::Organization);
        assert_eq!(linker.entity(isis).name, "تنظيم الدولة الإسلامية");
        assert_eq!(
            linker.link("تنظيم الدولة الإسلامية", EntityType::Organization),
            isis
        );
        assert_eq!(
            linker.link("الدولة الاسلامية", EntityType::Organization),
            isis
        );
    }

    #[test]
    fn a_later_full_name_renames_the_entity() {
        let mut linker = Linker::new();
        let id = linker.link("الكاظمي", EntityType::Person);
        assert_eq!(linker.link("مصطفى الكاظمي", EntityType::Person), id);
        assert_eq!(linker.entity(id).name, "مصطفى الكاظمي");
        assert!(linker.entity(id).aliases.contains("الكاظمي"));
    }

    /// What an archive would store from `take_changes`, replayed into
    /// `KnownEntity`s the way the ingest stage restores them.
    fn persist(linker: &mut Linker, store: &mut Vec<KnownEntity>) {
        let changes = linker.take_changes();
        for entity in &linker.entities()[changes.first_new..] {
            store.push(KnownEntity {
                name: entity.name.clone(),
                ty: entity.ty,
                key: entity.key().to_owned(),
                aliases: Vec::new(),
            });
        }
        for id in changes.renamed {
            store[id].name = linker.entity(id).name.clone();
            store[id].key = linker.entity(id).key().to_owned();
        }
        for alias in changes.aliases {
            store[alias.entity].aliases.push((alias.key, alias.alias));
        }
    }

    #[test]
    fn a_restored_linker_links_like_the_one_it_was_saved_from() {
        let mut live = Linker::new();
        let mut store = Vec::new();
        let biden = live.link("الرئيس الأمريكي جو بايدن", EntityType::Person);
        let isis = live.link("داعش", EntityType::Organization);
        live.link("الكاظمي", EntityType::Person);
        persist(&mut live, &mut store);
        let kadhimi = live.link("مصطفى الكاظمي", EntityType::Person);
        persist(&mut live, &mut store);
        assert_eq!(store.len(), live.entities().len());
        assert_eq!(store[kadhimi].name, "مصطفى الكاظمي");

        let mut restored = Linker::restore(None, store.clone());
        assert_eq!(restored.take_changes().aliases, Vec::new());
        for (surface, ty) in [
            ("بايدن", EntityType::Person),
            ("جو بايدن", EntityType::Person),
            ("تنظيم الدولة الإسلامية", EntityType::Organization),
            ("الكاظمي", EntityType::Person),
            ("مصطفى الكاظمي", EntityType::Person),
            ("لويد أوستن", EntityType::Person),
            ("اوتسن", EntityType::Person),
        ] {
            assert_eq!(
                restored.link(surface, ty),
                live.link(surface, ty),
                "{surface}"
            );
        }
        assert_eq!(restored.link("بايدن", EntityType::Person), biden);
        assert_eq!(restored.entity(biden).name, "جو بايدن");
        assert_eq!(
            restored.link("الدولة الاسلامية", EntityType::Organization),
            isis
        );
        // Only what is new after the restore is reported.
        let changes = restored.take_changes();
        assert_eq!(changes.first_new, store.len());
        assert!(
            changes.aliases.iter().all(|a| a.key != "جو بايدن"),
            "{changes:?}"
        );
        assert!(
            changes.aliases.iter().any(|a| a.key == "لويد اوستن"),
            "{changes:?}"
        );
    }

    #[test]
    fn changes_name_new_keys_once_and_renames_of_older_entities() {
        let mut linker = Linker::new();
        let id = linker.link("الكاظمي", EntityType::Person);
        let first = linker.take_changes();
        assert_eq!(first.first_new, 0);
        assert_eq!(first.aliases.len(), 1);
        assert!(first.renamed.is_empty());
        linker.link("الكاظمي", EntityType::Person);
        linker.link("مصطفى الكاظمي", EntityType::Person);
        let second = linker.take_changes();
        assert_eq!(second.first_new, 1);
        assert_eq!(second.renamed, vec![id]);
        let keys: Vec<&str> = second.aliases.iter().map(|a| a.key.as_str()).collect();
        assert_eq!(keys, vec!["مصطفي الكاظمي"]);
    }

    #[test]
    fn display_names_keep_name_letters() {
        let mut g = Gazetteer::default();
        g.add(EntityType::Location, "إيران");
        g.add(EntityType::Person, "إله");
        g.finish();
        assert_eq!(display_name("واشنطن", Some(&g)), "واشنطن");
        assert_eq!(display_name("فؤاد حسين", Some(&g)), "فؤاد حسين");
        assert_eq!(display_name("لإيران", Some(&g)), "إيران");
        assert_eq!(display_name("وإيران", Some(&g)), "إيران");
        assert_eq!(display_name("للبيت الأبيض", Some(&g)), "البيت الأبيض");
        assert_eq!(display_name("وبالعراق", Some(&g)), "العراق");
        assert_eq!(display_name("الرئيس الأمريكي جو بايدن", None), "جو بايدن");
        assert_eq!(display_name("الأمريكي جو بايدن", None), "جو بايدن");
        // و + ك/ب + ال needs a word after the article.
        assert_eq!(
            display_name("وكالة الأنباء السعودية", Some(&g)),
            "وكالة الأنباء السعودية"
        );
        assert_eq!(display_name("والي الرياض", Some(&g)), "والي الرياض");
        assert_eq!(display_name("وبالعين", Some(&g)), "العين");
    }
}
