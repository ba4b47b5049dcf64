//! CREATE EVENT / DROP EVENT. An event that changes is dropped and created
//! again, so ALTER EVENT is never needed.

use std::fmt::Write;

use schemasync_model::Event;

use crate::EmitError;
use crate::render::{non_empty, render};

use super::{D, name};

/// `CREATE EVENT `e` ON SCHEDULE <schedule> ON COMPLETION [NOT] PRESERVE
/// ENABLE|DISABLE [COMMENT '..'] DO <body>`, schedule and body verbatim.
pub(super) fn create_event(event: &Event) -> Result<String, EmitError> {
    let what = |part: &str| format!("{part} of event {}", event.name);
    let schedule = non_empty(&event.schedule, || what("schedule"))?;
    let body = non_empty(&event.body, || what("body"))?;
    render(|w| {
        write!(w, "CREATE EVENT {} ON SCHEDULE {schedule}", name(&event.name))?;
        w.write_str(if event.preserve { " ON COMPLETION PRESERVE" } else { " ON COMPLETION NOT PRESERVE" })?;
        w.write_str(if event.enabled { " ENABLE" } else { " DISABLE" })?;
        if let Some(comment) = &event.comment {
            write!(w, " COMMENT {}", D.quote_string(comment))?;
        }
        write!(w, " DO {body}")?;
        Ok(())
    })
}

/// `DROP EVENT `e``.
pub(super) fn drop_event(event: &Event) -> String {
    format!("DROP EVENT {}", name(&event.name))
}
