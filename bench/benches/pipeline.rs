//! The generator's stages on the seed spec, against the parse floor (reading the same
//! text into `openapiv3::OpenAPI`), in process. `bench/run.sh` times whole processes,
//! peers included, and GitHub's spec; this is the fine-grained view.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};

const SEED: &str = include_str!("../../specs/vercel-create-integration-store.yaml");

fn stages(c: &mut Criterion) {
    let path = Path::new("specs/vercel-create-integration-store.yaml");
    let config = apigen::Config::default();
    let mut group = c.benchmark_group("seed");
    group.bench_function("parse floor (openapiv3)", |b| {
        b.iter(|| serde_yaml::from_str::<openapiv3::OpenAPI>(SEED).unwrap())
    });
    group.bench_function("load", |b| {
        b.iter(|| apigen::load::parse(SEED, path).unwrap())
    });
    let spec = apigen::load::parse(SEED, path).unwrap();
    group.bench_function("normalise + IR", |b| {
        b.iter(|| apigen::api::build(&spec, &config).unwrap())
    });
    let built = apigen::api::build(&spec, &config).unwrap();
    group.bench_function("layout + naming", |b| {
        b.iter(|| {
            let mut api = apigen::api::build(&spec, &config).unwrap().api;
            apigen::layout::apply(&mut api.types);
            apigen::naming::assign(
                &mut api,
                &config.rename,
                config.modules == apigen::config::Modules::Flat,
            )
            .expect("no config problems");
            api
        })
    });
    let mut api = built.api;
    apigen::layout::apply(&mut api.types);
    apigen::naming::assign(
        &mut api,
        &config.rename,
        config.modules == apigen::config::Modules::Flat,
    )
    .expect("no config problems");
    group.bench_function("emit", |b| b.iter(|| apigen::emit::api(&api)));
    let tokens = apigen::emit::api(&api);
    group.bench_function("format", |b| {
        b.iter(|| apigen::format::file(tokens.clone(), "seed", None).unwrap())
    });
    group.bench_function("whole pipeline", |b| {
        b.iter(|| apigen::generate_str(SEED, path, &config).unwrap())
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
