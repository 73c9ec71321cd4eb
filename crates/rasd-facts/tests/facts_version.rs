//! Archives store [`rasd_facts::facts_version`] with their facts and
//! recompute them (`rasd reindex`) when it changes. The model's part of it
//! changes by itself; [`rasd_facts::RULES_VERSION`] is bumped by hand. This
//! test pins what the rules give on a fixture written for it, so a change
//! to quotes, figures, spans or linking cannot slip in without a bump.

use rasd_facts::article::{find_facts, link_facts};
use rasd_facts::link::Linker;
use rasd_facts::{facts_version, facts_version_label, Model, RULES_VERSION};
use xxhash_rust::xxh3::xxh3_64;

const FIXTURE: [(&str, &str); 2] = [
    (
        "وزير الخارجية يلتقي نظيره في العاصمة",
        "التقى وزير الخارجية السعودي الأمير فيصل بن فرحان نظيره الأردني أيمن الصفدي في الرياض \
         يوم الأحد. وقال الصفدي للصحفيين إن \"البلدين يعملان معا لدعم الاستقرار في المنطقة\". \
         وأضاف أن التبادل التجاري بلغ 5 مليارات دولار العام الماضي، مشيرا إلى أن 1200 شركة \
         أردنية تعمل في المملكة. وبحسب وكالة الأنباء السعودية، وقع الجانبان ثلاث اتفاقيات.",
    ),
    (
        "",
        "أكد الصفدي في مؤتمر صحفي بعمان أن الأردن سيستضيف الاجتماع المقبل. وقال فيصل بن فرحان: \
         «نتطلع إلى شراكة أوسع». وأصيب 30 شخصا في حادث سير على طريق المطار.",
    ),
];

/// What the rules give for the fixture: every mention with its entity,
/// quote and figure, as `rasd facts --format json` shows them.
fn fixture_facts() -> String {
    let model = Model::embedded();
    let mut linker = Linker::with_gazetteer(model.gazetteer().clone());
    let linked: Vec<_> = FIXTURE
        .iter()
        .map(|(title, body)| {
            let found = find_facts(model, Some(*title).filter(|t| !t.is_empty()), body);
            link_facts(found, &mut linker)
        })
        .collect();
    linked
        .iter()
        .map(|facts| serde_json::to_string(&facts.render(&linker)).expect("facts serialize"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `(RULES_VERSION, fixture_hash())` as last pinned.
const PINNED: (u32, u64) = (10, 0x5644_4559_a993_37aa);

#[test]
fn a_change_in_the_facts_comes_with_a_new_rules_version() {
    let facts = fixture_facts();
    let now = (RULES_VERSION, xxh3_64(facts.as_bytes()));
    assert_eq!(
        now, PINNED,
        "the facts of the fixture changed (hash {:#018x}): if the rules changed, bump \
         RULES_VERSION in src/lib.rs; then pin (RULES_VERSION, this hash) in PINNED. \
         The facts now:\n{facts}",
        now.1
    );
}

#[test]
fn the_fixture_has_facts_of_every_kind() {
    // A fixture with nothing in it would pin nothing.
    let facts = fixture_facts();
    for expected in [
        "أيمن الصفدي",
        "\"PERS\"",
        "\"LOC\"",
        "البلدين يعملان",
        "\"value\":1200.0",
    ] {
        assert!(facts.contains(expected), "{expected} not in {facts}");
    }
}

#[test]
fn the_version_names_the_rules_and_the_model() {
    let version = facts_version();
    assert!(version > 0);
    assert_eq!((version as u64 >> 32) as u32, RULES_VERSION);
    let label = facts_version_label(version);
    assert!(label.starts_with(&format!("{RULES_VERSION}.")), "{label}");
    assert_eq!(label.len(), format!("{RULES_VERSION}.").len() + 8);
}
