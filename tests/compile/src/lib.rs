//! The code generated for each fixture in `tests/fixtures`, one module each, compiled
//! with every warning denied (and linted by clippy in CI).
#![deny(warnings)]

macro_rules! fixture {
    ($($name:ident),* $(,)?) => {
        $(
            pub mod $name {
                include!(concat!(env!("OUT_DIR"), "/", stringify!($name), ".rs"));
            }
        )*
    };
}

fixture!(additional, components, docs, keep, names, nullable, parameters, unions);
