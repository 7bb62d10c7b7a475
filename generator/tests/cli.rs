//! The `apigen` command end to end: `generate` and `check`, and bad input giving a
//! located error, a non-zero exit, and no output written.

use std::path::Path;
use std::process::{Command, Output};

fn apigen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_apigen"))
        .args(args)
        .output()
        .expect("apigen runs")
}

/// A scratch directory, removed when the test ends (whatever its outcome).
fn scratch(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("apigen-cli-{name}-"))
        .tempdir()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const GOOD: &str = r#"
openapi: 3.0.3
info: { title: T, version: "1" }
paths:
  /x:
    get:
      operationId: getX
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { type: object, properties: { a: { type: string } } }
"#;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn generate_then_check_then_stale() {
    let tmp = scratch("check");
    let dir = tmp.path();
    let spec = write(dir, "good-api.yaml", GOOD);
    let out = dir.join("out");
    let out_s = out.display().to_string();
    let o = apigen(&["generate", &spec, "--out", &out_s]);
    assert!(o.status.success(), "{}", stderr(&o));
    let file = out.join("good_api.rs");
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .contains("pub fn get_x"));
    assert!(apigen(&["check", &spec, "--out", &out_s]).status.success());
    std::fs::write(&file, "// edited by hand\n").unwrap();
    let o = apigen(&["check", &spec, "--out", &out_s]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("stale"));
}

/// Runs `generate` on `text`; asserts failure, that nothing was written, and returns stderr.
fn fails(name: &str, text: &str) -> String {
    let tmp = scratch(name);
    let dir = tmp.path();
    let spec = write(dir, "spec.yaml", text);
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("spec.rs"), "// the user's previous output\n").unwrap();
    let o = apigen(&["generate", &spec, "--out", &out.display().to_string()]);
    assert!(!o.status.success(), "expected failure for {name}");
    assert_eq!(
        std::fs::read_to_string(out.join("spec.rs")).unwrap(),
        "// the user's previous output\n",
        "{name}: output was overwritten"
    );
    let err = stderr(&o);
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn unreadable_file() {
    let o = apigen(&[
        "generate",
        "/nonexistent/spec.yaml",
        "--out",
        "/tmp/apigen-never",
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("cannot read /nonexistent/spec.yaml"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn invalid_yaml_names_the_line() {
    let err = fails("yaml", "openapi: 3.0.3\ninfo: {title: T\npaths: {}\n");
    assert!(
        err.contains("spec.yaml:") && err.contains("not valid YAML"),
        "{err}"
    );
}

#[test]
fn swagger_2_and_openapi_3_2_are_named() {
    let err = fails(
        "swagger",
        "swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths: {}\n",
    );
    assert!(err.contains("Swagger 2.0"), "{err}");
    let err = fails(
        "v32",
        "openapi: 3.2.0\ninfo: {title: T, version: '1'}\npaths: {}\n",
    );
    assert!(
        err.contains("\"3.2.0\"") && err.contains("3.0.x and 3.1.x"),
        "{err}"
    );
}

#[test]
fn dangling_refs_are_located_and_all_reported() {
    let text = GOOD.replace(
        "schema: { type: object, properties: { a: { type: string } } }",
        "schema: { type: object, properties: { a: { $ref: '#/components/schemas/Missing' }, b: { $ref: '#/components/schemas/Gone' } } }",
    );
    let err = fails("dangling", &text);
    assert!(err.contains("2 problems"), "{err}");
    assert!(
        err.contains(
            "#/paths/~1x/get/responses/200/content/application~1json/schema/properties/a/$ref"
        ),
        "{err}"
    );
    assert!(err.contains("points to nothing"), "{err}");
    assert!(err.contains("spec.yaml:13#"), "line of the schema: {err}");
}

#[test]
fn unsupported_constructs_are_errors_with_their_pointer() {
    let err = fails(
        "param",
        &GOOD.replace(
            "      operationId: getX\n",
            "      operationId: getX\n      parameters:\n        - { name: b, in: body }\n",
        ),
    );
    assert!(
        err.contains("spec.yaml:9#/paths/~1x/get/parameters/0/in")
            && err.contains("must be path, query, header or cookie, found \"body\""),
        "{err}"
    );
}

#[test]
fn not_an_openapi_document() {
    let err = fails("notapi", "hello: world\n");
    assert!(err.contains("`openapi` version field is missing"), "{err}");
    let err = fails(
        "badshape",
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {'/x': {get: {responses: 5}}}\n",
    );
    assert!(
        err.contains("spec.yaml:3#/paths/~1x/get/responses")
            && err.contains("`responses` (status codes and their responses) must be an object"),
        "{err}"
    );
}

#[test]
fn mistakes_that_shape_nothing_are_warnings() {
    // A pattern that is no string, a callback missing its responses, a body with no media
    // type: each is said with its place, and the client is generated.
    let spec = GOOD
        .replace(
            "      operationId: getX\n",
            "      operationId: getX\n      callbacks:\n        hook:\n          \"{$url}\":\n            post: { description: no responses }\n",
        );
    let tmp = scratch("shapeless");
    let dir = tmp.path();
    let path = write(dir, "spec.yaml", &spec);
    let out = dir.join("out");
    let o = apigen(&["generate", &path, "--out", out.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("warning:")
            && err.contains("/callbacks/hook")
            && err.contains("missing field `responses`"),
        "{err}"
    );
}

#[test]
fn one_bad_spec_means_nothing_is_written() {
    let tmp = scratch("batch");
    let dir = tmp.path();
    write(dir, "a-good.yaml", GOOD);
    write(
        dir,
        "b-bad.yaml",
        "openapi: 3.2.0\ninfo: {title: T, version: '1'}\npaths: {}\n",
    );
    let out = dir.join("out");
    let o = apigen(&[
        "generate",
        &dir.display().to_string(),
        "--out",
        &out.display().to_string(),
    ]);
    assert!(!o.status.success());
    assert!(
        !out.join("a_good.rs").exists(),
        "the good spec's output was written despite the error"
    );
}

#[test]
fn specs_that_would_share_an_output_are_refused_naming_both() {
    let tmp = scratch("clash");
    let dir = tmp.path();
    for name in ["a-b-c.yaml", "a.b.c.yaml", "a_b_c.yaml"] {
        write(dir, name, GOOD);
    }
    let out = dir.join("out");
    let o = apigen(&[
        "generate",
        &dir.display().to_string(),
        "--out",
        &out.display().to_string(),
    ]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("a-b-c.yaml and ") && err.contains("a.b.c.yaml would both be written to"),
        "{err}"
    );
    assert!(err.contains("a_b_c.yaml would both be written to"), "{err}");
    assert!(!out.exists(), "nothing is written");
    let tmp = scratch("clash-ext");
    let dir = tmp.path();
    let json = write(dir, "x.json", GOOD);
    let yaml = write(dir, "x.yaml", GOOD);
    let o = apigen(&[
        "generate",
        &json,
        &yaml,
        "--out",
        &dir.join("out").display().to_string(),
    ]);
    assert!(
        !o.status.success() && stderr(&o).contains("x.rs; rename one of them"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_folder_without_specs_is_an_error() {
    let tmp = scratch("empty");
    let dir = tmp.path();
    std::fs::write(dir.join("notes.txt"), "not a spec").unwrap();
    let o = apigen(&[
        "generate",
        &dir.display().to_string(),
        "--out",
        &dir.join("out").display().to_string(),
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("holds no spec (no .yaml, .yml or .json file)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn outputs_are_written_all_or_nothing() {
    let tmp = scratch("atomic");
    let dir = tmp.path();
    let a = write(dir, "a.yaml", GOOD);
    let b = write(dir, "b.yaml", GOOD);
    let out = dir.join("out");
    // The second output cannot be written: a folder is where its file would go.
    std::fs::create_dir_all(out.join("b.rs")).unwrap();
    let o = apigen(&["generate", &a, &b, "--out", &out.display().to_string()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("b.rs"), "{}", stderr(&o));
    assert!(
        !out.join("a.rs").exists(),
        "the first output must not be written alone"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "only the folder in the way: {leftovers:?}"
    );
}

#[test]
fn a_spec_name_that_is_not_utf8_is_said() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = scratch("utf8");
    let dir = tmp.path();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.yaml");
    std::fs::write(dir.join(name), GOOD).unwrap();
    let out = dir.join("out");
    let o = apigen(&[
        "generate",
        &dir.display().to_string(),
        "--out",
        &out.display().to_string(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("is not UTF-8; its output is"),
        "{}",
        stderr(&o)
    );
    assert!(out.join("caf_.rs").exists());
}

const TAGGED: &str = r##"
openapi: 3.0.3
info: { title: Pets, version: "2" }
paths:
  /pets:
    get:
      operationId: listPets
      tags: [Pet Store]
      summary: "List pets | all of them"
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { type: array, items: { $ref: "#/components/schemas/Pet" } }
  /owners:
    get:
      operationId: listOwners
      tags: [owners]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { type: array, items: { $ref: "#/components/schemas/Owner" } }
components:
  schemas:
    Pet: { type: object, properties: { name: { type: string } } }
    Owner: { type: object, properties: { pets: { type: array, items: { $ref: "#/components/schemas/Pet" } } } }
    Audit: { type: object, properties: { at: { type: string } } }
"##;

/// The `#[cfg]` lines among the attributes and docs just above the line holding `item`.
fn gate_of(code: &str, item: &str) -> String {
    let lines: Vec<&str> = code.lines().collect();
    let at = lines.iter().position(|l| l.contains(item)).expect(item);
    let above = lines[..at].iter().rev().map(|l| l.trim());
    let attrs = above.take_while(|l| l.starts_with("///") || l.starts_with("#["));
    let mut cfgs: Vec<&str> = attrs.filter(|l| l.starts_with("#[cfg")).collect();
    cfgs.reverse();
    cfgs.join("\n")
}

#[test]
fn a_crate_is_written_with_tag_features_and_checked() {
    let tmp = scratch("crate");
    let dir = tmp.path();
    let spec = write(dir, "pets.yaml", TAGGED);
    let krate = dir.join("pets-client");
    let krate_s = krate.display().to_string();
    let o = apigen(&[
        "generate",
        &spec,
        "--crate",
        &krate_s,
        "--runtime-path",
        "/rt",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"pets-client\""), "{manifest}");
    assert!(
        manifest.contains("apigen-runtime = { path = \"/rt\" }"),
        "{manifest}"
    );
    assert!(
        manifest.contains("default = [\"owners\", \"pet-store\", \"other-schemas\"]"),
        "{manifest}"
    );
    let lib = std::fs::read_to_string(krate.join("src/lib.rs")).unwrap();
    assert!(lib.starts_with("// @generated by apigen"));
    assert_eq!(
        gate_of(&lib, "pub fn list_pets"),
        "#[cfg(feature = \"pet-store\")]"
    );
    assert_eq!(
        gate_of(&lib, "pub struct ListOwners"),
        "#[cfg(feature = \"owners\")]"
    );
    // Held by an owner as well: either operation's feature compiles it.
    let either = "#[cfg(any(feature = \"owners\", feature = \"pet-store\"))]";
    assert_eq!(gate_of(&lib, "pub struct Pet "), either);
    assert_eq!(gate_of(&lib, "use super::types;"), either);
    // No operation uses it.
    assert_eq!(
        gate_of(&lib, "pub struct Audit "),
        "#[cfg(feature = \"other-schemas\")]"
    );
    let readme = std::fs::read_to_string(krate.join("README.md")).unwrap();
    assert!(readme.contains("### Feature `pet-store` (1)"), "{readme}");
    assert!(
        readme.contains("| `list_pets` | `GET /pets` | List pets \\| all of them |"),
        "{readme}"
    );
    assert!(
        apigen(&["check", &spec, "--crate", &krate_s, "--runtime-path", "/rt"])
            .status
            .success()
    );
    // The spec changes: check says the crate is stale.
    write(
        dir,
        "pets.yaml",
        &TAGGED.replace("listOwners", "listPeople"),
    );
    let o = apigen(&["check", &spec, "--crate", &krate_s, "--runtime-path", "/rt"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("src/lib.rs"));
}

#[test]
fn refreshing_a_crate_keeps_the_users_manifest() {
    let tmp = scratch("refresh");
    let dir = tmp.path();
    let spec = write(dir, "pets.yaml", TAGGED);
    let krate = dir.join("pets");
    let krate_s = krate.display().to_string();
    assert!(apigen(&["generate", &spec, "--crate", &krate_s])
        .status
        .success());
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
    assert!(manifest.contains(&format!(
        "apigen-runtime = {{ version = \"{}\" }}",
        env!("CARGO_PKG_VERSION")
    )));
    // The user renames the package, pins serde, adds a dependency, lints and a comment.
    let edited = manifest
        .replace("name = \"pets\"", "name = \"my-pets\" # ours")
        .replacen(
            "version = \"0.1.0\"",
            "version = \"3.1.4\"\nauthors = [\"Me\"]",
            1,
        )
        .replace(
            "serde = { version = \"1\"",
            "serde = { version = \"1.0.200\"",
        )
        + "\n[lints.rust]\nwarnings = \"deny\"\n";
    let edited = edited.replace("[dependencies]\n", "[dependencies]\nanyhow = \"1\"\n");
    std::fs::write(krate.join("Cargo.toml"), &edited).unwrap();
    write(
        dir,
        "pets.yaml",
        &TAGGED.replace("tags: [owners]", "tags: [people]"),
    );
    let o = apigen(&["generate", &spec, "--crate", &krate_s]);
    assert!(o.status.success(), "{}", stderr(&o));
    let refreshed = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
    for kept in [
        "name = \"my-pets\" # ours",
        "version = \"3.1.4\"",
        "authors = [\"Me\"]",
        "anyhow = \"1\"",
        "version = \"1.0.200\"",
        "[lints.rust]\nwarnings = \"deny\"",
    ] {
        assert!(refreshed.contains(kept), "lost {kept:?}:\n{refreshed}");
    }
    assert!(
        refreshed.contains("people = []") && !refreshed.contains("owners = []"),
        "{refreshed}"
    );
    let readme = std::fs::read_to_string(krate.join("README.md")).unwrap();
    assert!(
        readme.contains("# my-pets") && readme.contains("version = \"3.1.4\""),
        "{readme}"
    );
}

#[test]
fn a_crate_never_overwrites_what_apigen_did_not_write() {
    let tmp = scratch("own");
    let dir = tmp.path();
    let spec = write(dir, "pets.yaml", TAGGED);
    let krate = dir.join("pets");
    std::fs::create_dir_all(krate.join("src")).unwrap();
    std::fs::write(krate.join("src/lib.rs"), "pub fn mine() {}\n").unwrap();
    let o = apigen(&["generate", &spec, "--crate", &krate.display().to_string()]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("was not written by apigen"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(krate.join("src/lib.rs")).unwrap(),
        "pub fn mine() {}\n"
    );
    assert!(!krate.join("Cargo.toml").exists() && !krate.join("README.md").exists());
    // A manifest that is not TOML: located, nothing written.
    std::fs::remove_file(krate.join("src/lib.rs")).unwrap();
    std::fs::write(
        krate.join("Cargo.toml"),
        "[package]\nname = \"x\"\nversion = \n",
    )
    .unwrap();
    let o = apigen(&["generate", &spec, "--crate", &krate.display().to_string()]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("Cargo.toml:3#: not a Cargo manifest"),
        "{}",
        stderr(&o)
    );
    assert!(!krate.join("src/lib.rs").exists());
    // A package name Cargo would refuse.
    let o = apigen(&[
        "generate",
        &spec,
        "--crate",
        &krate.display().to_string(),
        "--name",
        "a\"b",
    ]);
    assert!(
        stderr(&o).contains("is not a package name Cargo accepts"),
        "{}",
        stderr(&o)
    );
    // Two specs are not one crate.
    let other = write(dir, "other.yaml", GOOD);
    let o = apigen(&[
        "generate",
        &spec,
        &other,
        "--crate",
        &krate.display().to_string(),
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("--crate makes a crate of one spec; 2 were given"),
        "{}",
        stderr(&o)
    );
}
