//! `rasd entities`: the archive's canonical entities, most mentioned first,
//! filtered by type and by name or alias.

use crate::data_dir::DataArgs;
use crate::output::{self, Format};
use crate::{Globals, Outcome};
use rasd_store::{Entity, EntityQuery};
use std::io::Write;

/// The four entity types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EntityKind {
    #[value(name = "PERS")]
    Pers,
    #[value(name = "LOC")]
    Loc,
    #[value(name = "ORG")]
    Org,
    #[value(name = "MISC")]
    Misc,
}

impl EntityKind {
    fn label(self) -> &'static str {
        match self {
            EntityKind::Pers => "PERS",
            EntityKind::Loc => "LOC",
            EntityKind::Org => "ORG",
            EntityKind::Misc => "MISC",
        }
    }
}

/// List entities (people, places, organizations, other names), most mentioned first.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,

    /// Only entities of this type.
    #[arg(long = "type", value_enum, value_name = "TYPE", ignore_case = true)]
    pub kind: Option<EntityKind>,

    /// Only entities with a name or alias containing this text (compared on matching keys).
    #[arg(long, value_name = "TEXT")]
    pub name: Option<String>,

    #[command(flatten)]
    pub paging: crate::paging::Paging,

    /// Output format: text (one line per entity) or json (one object per line).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub fn run(args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    let archive = args.data.open_reader()?;
    let entities = archive.entities(&EntityQuery {
        kind: args.kind.map(|k| k.label().to_owned()),
        name: args.name,
        limit: Some(args.paging.limit),
        offset: args.paging.offset,
    })?;
    output::write_rows(args.format, &entities, write_line)?;
    Ok(Outcome::Success)
}

/// `ID  TYPE  NAME  mentions/articles/stories  (aliases)`.
pub fn write_line(out: &mut dyn Write, e: &Entity) -> std::io::Result<()> {
    let aliases = if e.aliases.is_empty() {
        String::new()
    } else {
        format!("  ({})", e.aliases.join("، "))
    };
    writeln!(
        out,
        "{}\t{}\t{}\t{} mentions, {} articles, {} stories{aliases}",
        e.id, e.kind, e.name, e.mentions, e.articles, e.stories
    )
}
