//! Support code for the reference-test tools in `src/bin/`.
//!
//! Each `ref_*` binary reads one JSON request on standard input, runs storelytics on it and
//! prints one JSON answer on standard output. The pytest suites in `tests/reference/` feed the
//! same inputs to the established Python implementation and compare. An error is printed as
//! `{"error": {"kind": ..., "message": ...}}` with exit status 2, so tests can check errors too.

use std::io::Read;

use serde::{Serialize, de::DeserializeOwned};

/// Runs `f` on the JSON request from standard input and prints its answer as JSON.
pub fn run_json<I, O>(f: impl FnOnce(I) -> storelytics::Result<O>)
where
    I: DeserializeOwned,
    O: Serialize,
{
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        fail("io", &format!("cannot read standard input: {e}"));
    }
    let request: I = match serde_json::from_str(&input) {
        Ok(r) => r,
        Err(e) => fail("request", &format!("bad request JSON: {e}")),
    };
    match f(request) {
        Ok(answer) => match serde_json::to_string(&answer) {
            Ok(s) => println!("{s}"),
            Err(e) => fail("response", &format!("cannot encode answer: {e}")),
        },
        Err(e) => fail(e.kind(), &e.to_string()),
    }
}

fn fail(kind: &str, message: &str) -> ! {
    println!("{}", serde_json::json!({ "error": { "kind": kind, "message": message } }));
    std::process::exit(2)
}
