//! Heap allocations made by decoding: the generated types read unions from the input
//! itself, so decoding a document allocates what its values need (strings, vectors, maps)
//! and nothing for buffering. Counted, not timed, so the figure is the same on every
//! machine; BENCHMARKS.md §5 explains how it bounds the decode-speed ratio against
//! `serde_json::Value`. One test in this file, so no other test thread allocates while
//! it counts.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;
use vercel_api::types::CreateIntegrationStoreDirectResponse;

/// The system allocator, counting allocations and, apart, reallocations.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static REALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        REALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: `ptr` came from `System` with this layout.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const STORE: &str = include_str!("data/store-response-full.json");

/// What `f` allocated.
#[derive(Debug, Clone, Copy)]
struct Count {
    /// Fresh allocations.
    fresh: usize,
    /// Growths of an allocation (a vector's, a string's).
    grown: usize,
}

/// What `f` allocates (the only test of this file: no other thread allocates meanwhile).
fn allocations<T>(f: impl FnOnce() -> T) -> (Count, T) {
    let fresh = ALLOCATIONS.load(Ordering::Relaxed);
    let grown = REALLOCATIONS.load(Ordering::Relaxed);
    let out = f();
    let count = Count {
        fresh: ALLOCATIONS.load(Ordering::Relaxed) - fresh,
        grown: REALLOCATIONS.load(Ordering::Relaxed) - grown,
    };
    (count, out)
}

/// Decoding allocates what the decoded value holds (what its clone allocates) and
/// hardly more; a `Value` allocates besides for every key and map.
#[test]
fn decoding_allocates_what_the_value_holds() {
    let bytes = STORE.as_bytes();
    let (typed, decoded) = allocations(|| {
        serde_json::from_slice::<CreateIntegrationStoreDirectResponse>(bytes).expect("decodes")
    });
    let (held, copy) = allocations(|| decoded.clone());
    let (value, tree) = allocations(|| serde_json::from_slice::<Value>(bytes).expect("JSON"));
    drop((decoded, copy));
    let (strings, arrays, objects) = census(&tree);
    println!(
        "store document: {strings} strings, {arrays} arrays, {objects} objects; allocations \
         (fresh + grown): generated types {} + {}, their clone {} + {}, \
         serde_json::Value {} + {}",
        typed.fresh, typed.grown, held.fresh, held.grown, value.fresh, value.grown
    );
    // Unions decode from the input: one that buffered its object into a `Value` (as they
    // did before), an open enum that copied every listed string, or a tag list on the
    // heap would each cost a few dozen allocations here. Left: a value read ahead now and
    // then (a union's key set read past a non-string value).
    assert!(
        typed.fresh <= held.fresh + held.fresh / 16,
        "decoding allocated {} times, the decoded value holds {} allocations",
        typed.fresh,
        held.fresh
    );
    assert!(
        typed.fresh * 3 < value.fresh,
        "generated {typed:?}, Value {value:?}"
    );
}

/// The strings, arrays and objects of a document.
fn census(value: &Value) -> (usize, usize, usize) {
    let mut counts = (0, 0, 0);
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(_) => counts.0 += 1,
            Value::Array(items) => {
                counts.1 += 1;
                stack.extend(items);
            }
            Value::Object(map) => {
                counts.2 += 1;
                stack.extend(map.values());
            }
            _ => {}
        }
    }
    counts
}
