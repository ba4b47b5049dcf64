//! User-defined collations.

use schemasync_model::{Collation, QualifiedName};
use tokio_postgres::Row;

use super::Builder;
use super::row::Fields;
use crate::PostgresError;

pub(crate) fn read_collations(b: &mut Builder, rows: &[Row]) -> Result<(), PostgresError> {
    for row in rows {
        let f = Fields::new(row, "collations");
        let schema: String = f.get("schema")?;
        let name = QualifiedName::new(Some(&schema), f.get::<String>("name")?);
        let provider: String = f.get("provider")?;
        // ICU collations name a locale; libc ones their LC_* pair.
        let icu = provider == "icu";
        let collation = Collation {
            name: name.clone(),
            provider,
            locale: if icu { f.get("locale")? } else { None },
            lc_collate: if icu { None } else { f.get("lc_collate")? },
            lc_ctype: if icu { None } else { f.get("lc_ctype")? },
            nondeterministic: f.get("nondeterministic")?,
            comment: f.get("comment")?,
        };
        b.schema.collations.insert(name, collation);
    }
    Ok(())
}
