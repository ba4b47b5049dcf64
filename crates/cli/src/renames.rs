//! `--rename TABLE.OLD=NEW`: column renames, checked against the wanted
//! schema so that a typo is an error instead of a silently ignored hint
//! (an ignored hint would drop the column and its values).

use anyhow::{Result, bail};
use schemasync::{QualifiedName, Schema};

use crate::args::RenameArgs;

/// The hints of `args` as the differ takes them: (table, old, new).
pub fn column_renames(args: &RenameArgs, wanted: &Schema) -> Result<Vec<(QualifiedName, String, String)>> {
    args.columns.iter().map(|hint| one(hint, wanted)).collect()
}

fn one(hint: &str, wanted: &Schema) -> Result<(QualifiedName, String, String)> {
    let Some((left, new)) = hint.split_once('=') else {
        bail!("--rename {hint}: expected TABLE.OLD=NEW");
    };
    let Some((table, old)) = left.rsplit_once('.') else {
        bail!("--rename {hint}: expected TABLE.OLD=NEW (the table is missing)");
    };
    if table.is_empty() || old.is_empty() || new.is_empty() {
        bail!("--rename {hint}: expected TABLE.OLD=NEW with none of them empty");
    }
    let named = match table.split_once('.') {
        Some((schema, name)) => QualifiedName::new(Some(schema), name),
        None => QualifiedName::bare(table),
    };
    let key = if wanted.tables.contains_key(&named) {
        named
    } else {
        // A bare name stands for the one table of that name in any schema.
        let matches: Vec<&QualifiedName> =
            wanted.tables.keys().filter(|k| named.schema.is_none() && k.name == named.name).collect();
        match matches.as_slice() {
            [one] => (*one).clone(),
            [] => bail!("--rename {hint}: the wanted schema has no table {table}"),
            _ => bail!("--rename {hint}: {table} names several tables; write SCHEMA.TABLE.OLD=NEW"),
        }
    };
    let columns = &wanted.tables[&key];
    if columns.column(new).is_none() {
        bail!("--rename {hint}: table {key} of the wanted schema has no column {new}");
    }
    if columns.column(old).is_some() {
        bail!("--rename {hint}: the wanted schema still has a column {old} in {key}");
    }
    Ok((key, old.to_owned(), new.to_owned()))
}
