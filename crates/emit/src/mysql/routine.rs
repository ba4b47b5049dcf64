//! Functions and procedures. The introspector keeps a routine's complete
//! `CREATE FUNCTION|PROCEDURE` text (without DEFINER), so creating one is
//! writing it back; a compound `BEGIN ... END` body needs no `DELIMITER`
//! because statements are sent one by one, not through a client.

use schemasync_model::{Routine, RoutineKind};

use crate::EmitError;
use crate::render::non_empty;

use super::name;

/// The routine's definition, verbatim.
pub(super) fn create_routine(routine: &Routine) -> Result<String, EmitError> {
    let definition = non_empty(&routine.definition, || format!("definition of routine {}", routine.routine_key()))?;
    Ok(definition.to_owned())
}

/// `DROP FUNCTION|PROCEDURE `f``: MySQL routines have no overloads, only
/// separate namespaces for functions and procedures. A (MariaDB) aggregate
/// function is dropped as a function.
pub(super) fn drop_routine(routine: &Routine) -> Result<String, EmitError> {
    let kind = match routine.kind {
        RoutineKind::Function | RoutineKind::Aggregate => "FUNCTION",
        RoutineKind::Procedure => "PROCEDURE",
    };
    Ok(format!("DROP {kind} {}", name(&routine.name)))
}
