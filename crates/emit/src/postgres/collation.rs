//! CREATE / DROP COLLATION.

use schemasync_model::Collation;

use crate::EmitError;

use super::{literal, qname, unsupported};

/// `CREATE COLLATION "s"."c" (provider = icu, locale = '...', deterministic = false)`.
pub(super) fn create_collation(c: &Collation) -> Result<String, EmitError> {
    let mut options = Vec::new();
    match (c.provider.as_str(), &c.locale, &c.lc_collate, &c.lc_ctype) {
        ("icu", Some(locale), _, _) => {
            options.push("provider = icu".to_owned());
            options.push(format!("locale = {}", literal(locale)));
        }
        ("libc", _, Some(collate), Some(ctype)) => {
            options.push("provider = libc".to_owned());
            options.push(format!("lc_collate = {}", literal(collate)));
            options.push(format!("lc_ctype = {}", literal(ctype)));
        }
        _ => {
            return Err(unsupported(format!(
                "collation {} (provider {:?} without its locale settings)",
                c.name, c.provider
            )));
        }
    }
    if c.nondeterministic {
        options.push("deterministic = false".to_owned());
    }
    Ok(format!("CREATE COLLATION {} ({})", qname(&c.name), options.join(", ")))
}

/// `DROP COLLATION "s"."c"`.
pub(super) fn drop_collation(c: &Collation) -> String {
    format!("DROP COLLATION {}", qname(&c.name))
}
