//! OpenAPI 3.1 read as 3.0: each pair in `tests/pairs` (`NAME.30.yaml`, `NAME.31.yaml`)
//! says the same thing in both versions' spelling, and must give byte-identical Rust.

use std::path::Path;

use apigen::{generate_str, Config};

#[test]
fn each_pair_gives_byte_identical_rust() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/pairs");
    let mut pairs = 0;
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".30.yaml").map(str::to_string))
        .collect();
    names.sort();
    for name in names {
        let read = |v: &str| std::fs::read_to_string(dir.join(format!("{name}.{v}.yaml"))).unwrap();
        // One display name, so that nothing but the text differs.
        let shown = Path::new("pair.yaml");
        let gen = |text: &str| generate_str(text, shown, &Config::default()).unwrap();
        let (old, new) = (gen(&read("30")), gen(&read("31")));
        // The descriptions say which version they are: the one line allowed to differ.
        let same = |code: &str| {
            code.replace(
                "schemas.31.yaml, in OpenAPI 3.1's",
                "schemas.30.yaml, in OpenAPI 3.0's",
            )
        };
        assert_eq!(
            same(&new.code),
            same(&old.code),
            "{name}: 3.1 differs from 3.0"
        );
        assert!(old.warnings.is_empty(), "{name}: {:?}", old.warnings);
        assert!(new.warnings.is_empty(), "{name}: {:?}", new.warnings);
        pairs += 1;
    }
    assert!(pairs > 0, "no pairs in {}", dir.display());
}

#[test]
fn openapi_3_2_is_refused_naming_its_version() {
    let text = "openapi: 3.2.0\ninfo: {title: T, version: '1'}\npaths: {}\n";
    let err = generate_str(text, Path::new("t.yaml"), &Config::default()).unwrap_err();
    assert!(
        err.to_string()
            .contains("unsupported OpenAPI version \"3.2.0\"; apigen reads 3.0.x and 3.1.x"),
        "{err}"
    );
}
