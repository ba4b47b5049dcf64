//! JSON snapshots: loading, normalizing, the canonical round trip, hashing,
//! and emitting what loads.

#![no_main]

use libfuzzer_sys::fuzz_target;
use schemasync_model::Schema;

fuzz_target!(|input: &str| {
    let Ok(mut schema) = Schema::from_json(input) else { return };
    assert!(schema.is_normalized(), "from_json hands over an unnormalized schema");
    schema.normalize();
    let canonical = schema.to_canonical_json();
    let back =
        Schema::from_json(&canonical).unwrap_or_else(|e| panic!("canonical JSON does not load: {e}\n{canonical}"));
    assert_eq!(back, schema, "canonical JSON round trip changed the schema\n{canonical}");
    assert_eq!(back.to_canonical_json(), canonical, "canonical JSON is not stable");
    assert_eq!(back.content_hash(), schema.content_hash());
    let _ = schemasync_emit::emit_schema(&schema);
});
