//! Entity linking: mentions (surface text and type) in, canonical entities
//! with their aliases out.
//!
//! A mention is reduced to a key: matching key, first word's proclitics
//! stripped, leading titles dropped (الرئيس الأمريكي جو بايدن → جو بايدن).
//! It links, in order, to: the entity of a known alias pair
//! ([`ALIASES`]); an entity with the same key; for a one-word mention, a
//! longer entity of the same type ending (or, for places and
//! organizations, starting) with that word (بايدن → جو بايدن); an entity of
//! the same type whose key is within a small edit distance (أوستن/اوتسن).
//! Otherwise it starts a new entity.

use crate::gazetteer::Gazetteer;
use crate::tags::EntityType;
use rasd_text::{normalize, stem};
use std::collections::{BTreeSet, HashMap};

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

/// Titles and their adjectives dropped from the front of a mention.
fn is_title(word: &str) -> bool {
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

/// Links mentions to entities across any number of articles.
#[derive(Debug, Clone, Default)]
pub struct Linker {
    gazetteer: Option<Gazetteer>,
    entities: Vec<Entity>,
    by_key: HashMap<String, usize>,
}

/// Whether the optimal-string-alignment distance (edits and adjacent
/// swaps) between two short keys is at most `limit`.
fn edit_distance_within(a: &str, b: &str, limit: usize) -> bool {
    let a: Vec<char> = a.chars().take(64).collect();
    let b: Vec<char> = b.chars().take(64).collect();
    if a.len().abs_diff(b.len()) > limit {
        return false;
    }
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()] <= limit
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
        let known =
            |w: &str| gazetteer.is_some_and(|g| g.lookup(w) != 0 && g.lookup(&first_key) == 0);
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
            if rest_key.starts_with("ال") || known(&rest_key) {
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

    /// The entity with id `id` (ids come from [`Linker::link`]).
    pub fn entity(&self, id: usize) -> &Entity {
        &self.entities[id]
    }

    /// All entities, by id.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    fn find(&self, key: &str, ty: EntityType) -> Option<usize> {
        for (alias, canonical) in ALIASES {
            if mention_key(alias) == key {
                return self.by_key.get(&mention_key(canonical)).copied();
            }
        }
        if let Some(&id) = self.by_key.get(key) {
            return Some(id);
        }
        let words: Vec<&str> = key.split(' ').collect();
        if words.len() == 1 {
            let hit = self.entities.iter().position(|e| {
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
            let hit = self
                .entities
                .iter()
                .position(|e| e.ty == ty && !e.key.contains(' ') && e.key == last);
            if hit.is_some() {
                return hit;
            }
        }
        let n = key.chars().count();
        if n >= 5 {
            let limit = if n >= 9 { 2 } else { 1 };
            return self.entities.iter().position(|e| {
                e.ty == ty
                    && (edit_distance_within(&e.key, key, limit)
                        || (words.len() == 1
                            && e.key
                                .rsplit(' ')
                                .next()
                                .is_some_and(|last| edit_distance_within(last, key, limit))))
            });
        }
        None
    }

    /// Links one mention and returns its entity id.
    pub fn link(&mut self, surface: &str, ty: EntityType) -> usize {
        let key = mention_key(surface);
        let name = display_name(surface, self.gazetteer.as_ref());
        let id = match self.find(&key, ty) {
            Some(id) => id,
            None => {
                let canonical = ALIASES
                    .iter()
                    .find(|(alias, _)| mention_key(alias) == key)
                    .map(|(_, c)| (*c).to_owned());
                let (name, key) = match canonical {
                    Some(c) => (c.clone(), mention_key(&c)),
                    None => (name.clone(), key.clone()),
                };
                self.entities.push(Entity {
                    name,
                    ty,
                    aliases: BTreeSet::new(),
                    key: key.clone(),
                });
                let id = self.entities.len() - 1;
                self.by_key.insert(key, id);
                id
            }
        };
        self.by_key.entry(key.clone()).or_insert(id);
        let entity = &mut self.entities[id];
        if entity.aliases.len() < 64 {
            entity.aliases.insert(name.clone());
        }
        let is_alias_name = ALIASES.iter().any(|(_, c)| *c == entity.name);
        if !is_alias_name && key.split(' ').count() > entity.key.split(' ').count() {
            entity.name = name;
            entity.key = key.clone();
            self.by_key.insert(key, id);
        }
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn display_names_keep_name_letters() {
        let mut g = Gazetteer::default();
        g.add(EntityType::Location, "إيران");
        g.finish();
        assert_eq!(display_name("واشنطن", Some(&g)), "واشنطن");
        assert_eq!(display_name("فؤاد حسين", Some(&g)), "فؤاد حسين");
        assert_eq!(display_name("لإيران", Some(&g)), "إيران");
        assert_eq!(display_name("للبيت الأبيض", Some(&g)), "البيت الأبيض");
        assert_eq!(display_name("وبالعراق", Some(&g)), "العراق");
        assert_eq!(display_name("الرئيس الأمريكي جو بايدن", None), "جو بايدن");
        assert_eq!(display_name("الأمريكي جو بايدن", None), "جو بايدن");
    }
}
