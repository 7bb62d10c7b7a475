#!/usr/bin/env python3
"""A by-hand experiment: what serde code costs `cargo check`. Writes a crate of N structs
(W required and W optional fields each) with one of three shapes of serde code:
  derive  what apigen emits today: derive + `remote = "Self"` + an object_only! wrapper
          (a stand-in for the runtime's macro, without its sequence-refusing deserializer
          wrapper, so the crate needs no apigen-runtime: if anything the figure is low);
  lean    one map visitor, no `?` (errors returned by hand), field names matched in rt.rs;
  none    no serde code (the floor: Debug, Clone, PartialEq only).
Usage: gen.py SHAPE N W DIR, then in DIR: cargo check once, touch src/lib.rs, and time
`CARGO_INCREMENTAL=0 cargo check`. Figures in BENCHMARKS.md section 0."""
import os, sys

shape, n, w, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(f"{out}/src", exist_ok=True)
with open(f"{out}/Cargo.toml", "w") as f:
    f.write(f'[package]\nname = "serde-cost-{shape}"\nversion = "0.1.0"\nedition = "2021"\n\n'
            '[dependencies]\nserde = { version = "1", features = ["derive"] }\nserde_json = "1"\n\n[workspace]\n')

OBJECT_ONLY = """macro_rules! object_only {
    ($name:ident) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $name::deserialize(d)
            }
        }
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $name::serialize(self, s)
            }
        }
    };
}
"""

def fields():
    req = [(f"req_{j}", "String" if j % 2 else "i64", False) for j in range(w)]
    opt = [(f"opt_{j}", "Option<String>", True) for j in range(w)]
    return req + opt

def derive(i):
    lines = ["#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]",
             '#[serde(remote = "Self")]', f"pub struct T{i} {{"]
    for name, ty, optional in fields():
        if optional:
            lines.append('    #[serde(default, skip_serializing_if = "Option::is_none")]')
        lines.append(f"    pub {name}: {ty},")
    return "\n".join(lines + ["}", f"object_only!(T{i});", ""])

def plain(i):
    body = "".join(f"    pub {name}: {ty},\n" for name, ty, _ in fields())
    return f"#[derive(Debug, Clone, PartialEq)]\npub struct T{i} {{\n{body}}}\n"

def lean(i):
    fs = fields()
    names = ", ".join(f'"{name}"' for name, _, _ in fs)
    slots = "".join(f"        let mut {name}: Option<{ty}> = None;\n" for name, ty, _ in fs)
    arms = "".join(f"                Ok(Some({k})) => rt::put(&mut map, &mut {name}, {k}, Self::FIELDS),\n"
                   for k, (name, _, _) in enumerate(fs))
    checks = "".join(f"        let Some({name}) = {name} else {{ return Err(rt::missing({k}, Self::FIELDS)) }};\n"
                     for k, (name, _, optional) in enumerate(fs) if not optional)
    build = "".join(f"            {name}: {name}.unwrap_or_default(),\n" if optional else f"            {name},\n"
                    for name, _, optional in fs)
    writes = "".join(f'        o.{"opt" if optional else "field"}("{name}", &self.{name});\n'
                     for name, _, optional in fs)
    return plain(i) + f"""impl<'de> serde::Deserialize<'de> for T{i} {{
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {{
        d.deserialize_map(rt::Object::<Self>::new())
    }}
}}
impl rt::FromObject for T{i} {{
    const NAME: &'static str = "T{i}";
    const FIELDS: &'static [&'static str] = &[{names}];
    fn from_map<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {{
{slots}        loop {{
            let step = match map.next_key_seed(rt::Key(Self::FIELDS)) {{
{arms}                Ok(Some(_)) => rt::skip(&mut map),
                Ok(None) => break,
                Err(e) => Err(e),
            }};
            if let Err(e) = step {{
                return Err(e);
            }}
        }}
{checks}        Ok(Self {{
{build}        }})
    }}
}}
impl serde::Serialize for T{i} {{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {{
        let mut o = rt::Out::new(s);
{writes}        o.end()
    }}
}}
"""

parts = {"derive": [OBJECT_ONLY] + [derive(i) for i in range(n)],
         "lean": [open(f"{here}/rt.rs").read()] + [lean(i) for i in range(n)],
         "none": [plain(i) for i in range(n)]}[shape]
with open(f"{out}/src/lib.rs", "w") as f:
    f.write("\n".join(parts))
