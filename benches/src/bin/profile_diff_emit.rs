//! Temporary: loop diff+emit for profiling.
#![allow(clippy::print_stderr)]
fn main() {
    let load = |path: &str, variant: bool| match std::fs::read_to_string(path) {
        Ok(json) => schemasync_model::Schema::from_json(&json).expect("json"),
        Err(_) => {
            let s = schemasync_benches::sqlite_schema(10_000, variant);
            std::fs::write(path, s.to_canonical_json()).expect("write");
            s
        }
    };
    let from = load("/tmp/prof_from.json", false);
    let to = load("/tmp/prof_to.json", true);
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(20);
    let mode = std::env::args().nth(2).unwrap_or_default();
    let start = std::time::Instant::now();
    let mut times = Vec::new();
    for _ in 0..n {
        let t = std::time::Instant::now();
        match mode.as_str() {
            "hash" => {
                std::hint::black_box(from.content_hash());
            }
            "json" => {
                std::hint::black_box(from.to_canonical_json());
            }
            _ => {
                let plan = schemasync_diff::diff(&from, &to, &schemasync_diff::DiffOptions::default()).expect("diff");
                std::hint::black_box(schemasync_emit::emit_plan(&plan).expect("emit"));
            }
        }
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    eprintln!("total {:?}, median {:.1} ms, min {:.1} ms", start.elapsed(), times[n / 2], times[0]);
}
