//! IR: the types and operations to emit, as plain data addressed by `TypeId`.
//!
//! Built by `lower` from normalised schemas; names are filled in by `naming`; read by
//! `emit`. Holds no `syn` or token streams, and its vectors keep a deterministic order.

use std::collections::{BTreeMap, BTreeSet};

/// Index of a type in `TypeSpace::types`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// How a value is typed where it is used.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    String,
    Bool,
    /// A boolean that must have this one value.
    BoolConst(bool),
    F64,
    I32,
    I64,
    /// Any JSON value.
    Json,
    Vec(Box<TypeRef>),
    /// A JSON object with arbitrary keys.
    Map(Box<TypeRef>),
    /// `null` or a value, where no field can say it (array items, map values).
    Nullable(Box<TypeRef>),
    Named(TypeId),
    /// A file sent as one part of a multipart body (`format: binary` there).
    File,
    /// An id or the object it names (`anyOf: [{type: string}, {$ref: X}]`, X an object):
    /// `apigen_runtime::Expandable<X>`, the object behind a `Box`.
    Expandable(TypeId),
}

impl TypeRef {
    /// The named type inside (through `Vec`, maps and `Option`), if any.
    pub fn named(&self) -> Option<TypeId> {
        let mut ty = self;
        loop {
            match ty {
                TypeRef::Named(id) | TypeRef::Expandable(id) => return Some(*id),
                TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => ty = inner,
                _ => return None,
            }
        }
    }
}

/// Where a name suggestion came from: a base word and the bases of its named ancestors,
/// nearest first, used one by one to settle collisions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hint {
    pub base: String,
    pub parents: Vec<String>,
    /// What it is to its owner, for when every name the parents make is taken:
    /// `RuleSuitesItem` for an item of `RuleSuites` (whose `RuleSuite` is a component).
    pub role: Option<String>,
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust name, set by `naming`.
    pub name: String,
    /// The module inside `types` that holds it (empty: `types` itself), set by `naming`.
    pub module: Vec<String>,
    /// Component schema key: a pinned name.
    pub component: Option<String>,
    /// Suggestions from every place this type is used, in the order met.
    pub hints: Vec<Hint>,
    /// JSON pointer of the first schema that produced this type.
    pub origin: String,
    pub doc: Option<String>,
    pub kind: TypeKind,
    /// The Cargo features that compile it, set by `gates` (empty: always compiled).
    pub gate: Gate,
}

/// The Cargo features any one of which compiles an item: indices into `Api::features`,
/// ascending. Empty: the item is always compiled.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Gate(pub Vec<usize>);

impl Gate {
    pub fn always(&self) -> bool {
        self.0.is_empty()
    }

    /// The gate of these features (ascending) out of `count`: always, when it is all.
    pub fn of(features: Vec<usize>, count: usize) -> Gate {
        match features.len() == count {
            true => Gate::default(),
            false => Gate(features),
        }
    }

    /// The gate of what any of `gates` needs: always, when one is (or when none is given).
    pub fn union<'g>(gates: impl IntoIterator<Item = &'g Gate>, count: usize) -> Gate {
        let mut all = std::collections::BTreeSet::new();
        let mut any = false;
        for gate in gates {
            if gate.always() {
                return Gate::default();
            }
            any = true;
            all.extend(gate.0.iter().copied());
        }
        match any {
            true => Gate::of(all.into_iter().collect(), count),
            false => Gate::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    Enum(StringEnum),
    Union(Union),
    /// A component schema that is just another type.
    Alias(TypeRef),
    /// A type that is only an array or map of itself (`A = [A]`): a type alias cannot say
    /// that, so it is a one-field tuple struct that encodes as the value it holds.
    Newtype(TypeRef),
    /// An array of fixed length whose items each have their own type (`prefixItems`): a
    /// tuple struct, one field per item, in order. Fields have no wire or Rust name.
    Tuple(Vec<Field>),
    /// A `multipart/form-data` body: one part per field, files among them.
    Multipart(Multipart),
    /// The object branches of an `anyOf` that one object can match together: a field per
    /// branch, each set when the object is valid against it, at least one set.
    AnyOf(AnyOf),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AnyOf {
    /// One optional field per branch; `wire` is the branch's word (named by `naming`).
    pub fields: Vec<Field>,
}

impl TypeKind {
    /// The types a definition uses directly, in the order written.
    pub fn uses(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).chain(&s.extra).collect(),
            TypeKind::Union(u) => u
                .variants
                .iter()
                .filter_map(|v| match &v.payload {
                    Payload::Data { ty, .. } => Some(ty),
                    _ => None,
                })
                .collect(),
            TypeKind::Multipart(Multipart { fields, .. })
            | TypeKind::AnyOf(AnyOf { fields })
            | TypeKind::Tuple(fields) => fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
            TypeKind::Enum(_) => Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Type of undeclared properties when the schema types them (`additionalProperties`).
    pub extra: Option<TypeRef>,
    /// `additionalProperties: false`: undeclared properties are an error.
    pub closed: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Multipart {
    /// Fields in the schema's order; `TypeRef::File` (or a `Vec` of it) for files.
    pub fields: Vec<Field>,
    /// The `encoding` object's `contentType` by property, where the spec gives one.
    pub content_types: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The property name on the wire.
    pub wire: String,
    /// The Rust field name, set by `naming`.
    pub name: String,
    pub doc: Option<String>,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    /// Boxed to break a cycle of directly nested types.
    pub boxed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StringEnum {
    pub values: Vec<EnumValue>,
    /// Open enums keep values the spec does not list in a catch-all variant holding the
    /// `String`.
    pub open: bool,
    /// The catch-all's name (`Unknown`, or `Other` beside a listed `unknown`), set by
    /// `naming`; empty for a closed enum.
    pub other: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    pub wire: String,
    /// The variant name, set by `naming`.
    pub name: String,
}

/// A `oneOf`/`anyOf`: one variant per branch (per literal value for enum branches, per
/// tag value for tagged branches).
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// Properties whose values together identify the object branch (the discriminator's
    /// `propertyName`, or constant properties every object branch requires).
    pub tags: Vec<String>,
    pub variants: Vec<Variant>,
    /// An `anyOf` (a value may match several branches), not a `oneOf`.
    pub any_of: bool,
    /// How a JSON value finds its variant: decided by `dispatch` once every type is known.
    pub decode: Decode,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// From `lower`, a word for it (its type's or its literal's); `naming` makes it the
    /// Rust name.
    pub name: String,
    pub payload: Payload,
    /// Where its branch stands among the union's branches in the spec.
    pub position: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// A literal string (an enum value of a branch).
    Str(String),
    /// A literal boolean (`enum: [false]`).
    Bool(bool),
    Data {
        ty: TypeRef,
        /// Values of `Union::tags`, in the same order, for tagged object branches.
        tag_values: Vec<String>,
        /// The tags are not properties of `ty` (a branch written in place): they are taken
        /// out before decoding and written back when encoding.
        strip: bool,
        boxed: bool,
    },
    /// In a response, a value the spec does not list (an object with other tag values, a
    /// string that is none of the literals), kept as it came and re-encoded unchanged.
    Unknown,
}

/// How a union decodes: literals by value first, then by the JSON kind of the value.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Decode {
    /// Variants with a literal payload, matched by value before anything else.
    pub literals: Vec<usize>,
    /// For each JSON kind some variant takes, how that variant is chosen.
    pub arms: Vec<(JsonKind, Rule)>,
    /// What the union accepts, for the error when nothing does: "an object or a string".
    pub expected: String,
}

/// The kind of a JSON value, integers told apart from other numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    Null,
    Bool,
    Integer,
    Float,
    String,
    Array,
    Object,
}

impl JsonKind {
    pub const ALL: [JsonKind; 7] = [
        JsonKind::Null,
        JsonKind::Bool,
        JsonKind::Integer,
        JsonKind::Float,
        JsonKind::String,
        JsonKind::Array,
        JsonKind::Object,
    ];

    /// The one-kind set.
    pub fn set(self) -> JsonKinds {
        match self {
            JsonKind::Null => JsonKinds::NULL,
            JsonKind::Bool => JsonKinds::BOOL,
            JsonKind::Integer => JsonKinds(4),
            JsonKind::Float => JsonKinds(8),
            JsonKind::String => JsonKinds::STRING,
            JsonKind::Array => JsonKinds::ARRAY,
            JsonKind::Object => JsonKinds::OBJECT,
        }
    }
}

/// How the variant of a value of one JSON kind is chosen.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// Only this variant takes the kind.
    Variant(usize),
    /// The values of the tag properties (`Union::tags`) name the variant; other values go
    /// to `otherwise` (the `Unknown` variant) or are an error.
    Tags {
        arms: Vec<(Vec<String>, usize)>,
        otherwise: Option<usize>,
    },
    /// The first variant (most keys first) whose required keys the object has, else an
    /// error naming the key sets. The object is read ahead until `read` (every key of
    /// the sets, each once, in order) is found, or, once the first set's `decisive` keys
    /// are all there, no further: that set decides.
    Keys {
        sets: Vec<(Vec<String>, usize)>,
        read: Vec<String>,
        decisive: usize,
    },
    /// Arrays: the kind of the first item names the variant; `[]` and the rest go to the last.
    FirstItem {
        arms: Vec<(Vec<JsonKind>, usize)>,
        last: usize,
    },
    /// The first variant that decodes, in this order.
    Trial(Vec<usize>),
}

/// A module of `types`, made from the dotted component keys that share its prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    pub path: Vec<String>,
    /// The key prefix it holds, dots included (`io.k8s.api.core.v1.`).
    pub prefix: String,
}

/// Every type of one generated crate.
#[derive(Debug, Default)]
pub struct TypeSpace {
    pub types: Vec<TypeDef>,
    /// The types each module of `types` imports from other modules (`use`) to name them
    /// bare, set by `naming`.
    pub imports: BTreeMap<Vec<String>, BTreeSet<TypeId>>,
    /// The gate of each of those `use` lines (module, type), set by `gates`; none: always.
    pub import_gates: std::collections::HashMap<(Vec<String>, TypeId), Gate>,
    /// Each type's estimated size in bytes on a 64-bit target, set by `layout`.
    pub sizes: Vec<usize>,
    /// The modules inside `types`, set by `naming`: each one's path and the dotted
    /// component-key prefix it stands for (`core::v1` for `io.k8s.api.core.v1.`), parents
    /// before children.
    pub modules: Vec<Module>,
    /// Component slots reserved and not filled yet: what they hold is not known.
    pub pending: std::collections::HashSet<TypeId>,
    /// `kinds` of named types whose answer is final (it met no pending slot).
    kinds_known: std::cell::RefCell<std::collections::HashMap<TypeId, JsonKinds>>,
}

impl TypeSpace {
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// The JSON kinds a value of this type can take. A walk over every type it can be
    /// (aliases, union variants) that visits each once; final answers are kept, so asking
    /// about every type of a large spec stays linear.
    pub fn kinds(&self, ty: &TypeRef) -> JsonKinds {
        let mut kinds = JsonKinds::NONE;
        let mut visited = std::collections::HashSet::new();
        let mut complete = true;
        let mut todo = vec![ty];
        while let Some(ty) = todo.pop() {
            let id = match ty {
                TypeRef::Named(id) => *id,
                TypeRef::Nullable(inner) => {
                    kinds = kinds.with(JsonKinds::NULL);
                    todo.push(inner);
                    continue;
                }
                leaf => {
                    kinds = kinds.with(leaf_kinds(leaf));
                    continue;
                }
            };
            if !visited.insert(id) {
                continue;
            }
            if let Some(known) = self.kinds_known.borrow().get(&id) {
                kinds = kinds.with(*known);
                continue;
            }
            if self.pending.contains(&id) {
                kinds = JsonKinds::ALL;
                complete = false;
                continue;
            }
            match &self.get(id).kind {
                TypeKind::Struct(_) | TypeKind::Multipart(_) | TypeKind::AnyOf(_) => {
                    kinds = kinds.with(JsonKinds::OBJECT)
                }
                TypeKind::Enum(_) => kinds = kinds.with(JsonKinds::STRING),
                TypeKind::Tuple(_) => kinds = kinds.with(JsonKinds::ARRAY),
                TypeKind::Alias(t) | TypeKind::Newtype(t) => todo.push(t),
                TypeKind::Union(u) => {
                    for v in &u.variants {
                        match &v.payload {
                            Payload::Str(_) => kinds = kinds.with(JsonKinds::STRING),
                            Payload::Bool(_) => kinds = kinds.with(JsonKinds::BOOL),
                            Payload::Data { ty, .. } => todo.push(ty),
                            Payload::Unknown => {}
                        }
                    }
                }
            }
        }
        if let (true, TypeRef::Named(id)) = (complete, ty) {
            self.kinds_known.borrow_mut().insert(*id, kinds);
        }
        kinds
    }
}

/// The kinds of a type that names no other type.
fn leaf_kinds(ty: &TypeRef) -> JsonKinds {
    match ty {
        TypeRef::String | TypeRef::File => JsonKinds::STRING,
        TypeRef::Bool | TypeRef::BoolConst(_) => JsonKinds::BOOL,
        TypeRef::F64 => JsonKinds::NUMBER,
        TypeRef::I32 | TypeRef::I64 => JsonKinds::INTEGER,
        TypeRef::Json => JsonKinds::ALL,
        TypeRef::Vec(_) => JsonKinds::ARRAY,
        TypeRef::Map(_) => JsonKinds::OBJECT,
        // Only made for an object component.
        TypeRef::Expandable(_) => JsonKinds::STRING.with(JsonKinds::OBJECT),
        TypeRef::Nullable(_) | TypeRef::Named(_) => JsonKinds::NONE,
    }
}

/// A set of JSON value kinds, as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonKinds(pub u8);

impl JsonKinds {
    pub const NONE: Self = Self(0);
    pub const NULL: Self = Self(1);
    pub const BOOL: Self = Self(2);
    /// Integers are numbers too: a number type accepts both.
    pub const INTEGER: Self = Self(4);
    pub const NUMBER: Self = Self(4 | 8);
    pub const STRING: Self = Self(16);
    pub const ARRAY: Self = Self(32);
    pub const OBJECT: Self = Self(64);
    pub const ALL: Self = Self(127);

    pub fn with(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }
    pub fn intersects(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }
}

/// An API operation: one client method.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The spec's `operationId`, or one derived from method and path.
    pub id: String,
    /// `id` was derived from method and path: another operation may derive the same one.
    pub derived_id: bool,
    /// The Rust method name, set by `naming`.
    pub method_name: String,
    /// The request builder's name in `mod builder`, set by `naming`.
    pub builder: String,
    /// The enum of documented errors in `mod errors`, set by `naming` (when `errors` has any).
    pub error_enum: String,
    pub http_method: String,
    pub path: String,
    pub pointer: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The operation's first tag, which groups it under one Cargo feature.
    pub tag: Option<String>,
    /// The Cargo feature that compiles it, set by `gates` (empty: always compiled).
    pub gate: Gate,
    pub parameters: Vec<Parameter>,
    pub body: Option<Body>,
    /// 2xx response bodies; the first is the one `send` decodes.
    pub success: Vec<Response>,
    /// Documented error statuses.
    pub errors: Vec<Response>,
    /// The `security` alternatives (its own, else the spec's): one must be met; none at
    /// all means the call sends no credentials.
    pub security: Vec<Vec<SecurityRequirement>>,
    /// Name of the enum `send` returns when success statuses answer differently, set by `naming`.
    pub success_enum: String,
    /// Success media types other than the one `send` asks for, each with its own method.
    pub other_media: Vec<OtherMedia>,
    /// The header each call sends a fresh idempotency key in (the spec declares it, or the
    /// config names it for POST and PATCH), which makes the call safe to retry.
    pub idempotency_header: Option<String>,
    /// How the next page of a list is asked for, when the operation is one (set by
    /// `pagination`).
    pub paging: Option<Paging>,
}

/// A list operation's pagination.
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    pub style: PagingStyle,
    /// Where a page keeps its items: a JSON pointer into the page body.
    pub items: String,
    /// The type of one item.
    pub item: TypeRef,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PagingStyle {
    /// The `Link` header's `rel="next"`.
    Link,
    /// A query parameter (by its wire name) set from the page (`cursor`, a pointer), or
    /// from its last item; `has_more` points at a boolean.
    Cursor {
        param: String,
        cursor: String,
        from_last_item: bool,
        has_more: Option<String>,
    },
    /// A page number query parameter.
    PageNumber(String),
    /// An offset query parameter.
    Offset(String),
}

/// A media type a success response may also come in (`text/csv` beside JSON).
#[derive(Debug, Clone, PartialEq)]
pub struct OtherMedia {
    pub content_type: String,
    pub media: Media,
    /// The schema's type for `Json`; unused otherwise.
    pub ty: TypeRef,
    /// The builder method that asks for it (`send_csv`), set by `naming`.
    pub method: String,
    /// The method that also gives status and headers (`send_csv_with_response`), set by
    /// `naming` (empty for an event stream, which carries them itself).
    pub with_response: String,
    /// The method that gives text or bytes as they arrive (`send_csv_stream`), set by
    /// `naming` (empty for JSON and event streams).
    pub stream: String,
}

/// What a success status gives back.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Empty,
    Json(TypeRef),
    Text,
    Bytes,
    /// Server-sent events, each one's data of this type (`String`: text).
    Events(TypeRef),
}

impl Operation {
    /// Each documented success response with what it gives back.
    pub fn outcomes(&self) -> Vec<(&Response, Outcome)> {
        self.success
            .iter()
            .map(|r| {
                let outcome = match &r.body {
                    None => Outcome::Empty,
                    Some(ResponseBody {
                        media: Media::Json,
                        ty,
                        ..
                    }) => Outcome::Json(ty.clone()),
                    Some(ResponseBody {
                        media: Media::Text, ..
                    }) => Outcome::Text,
                    Some(ResponseBody {
                        media: Media::Events,
                        ty,
                        ..
                    }) => Outcome::Events(ty.clone()),
                    Some(ResponseBody {
                        media: Media::Form | Media::Multipart | Media::Bytes,
                        ..
                    }) => Outcome::Bytes,
                };
                (r, outcome)
            })
            .collect()
    }

    /// Every type the operation's code names directly: parameters, bodies in each media
    /// type, responses, other media and page items, in the order a reader meets them.
    pub fn type_roots(&self) -> Vec<&TypeRef> {
        let mut roots: Vec<&TypeRef> = self.parameters.iter().map(|p| &p.ty).collect();
        if let Some(body) = &self.body {
            roots.push(&body.ty);
            roots.extend(body.alternatives.iter().map(|a| &a.ty));
        }
        let responses = self.success.iter().chain(&self.errors);
        roots.extend(responses.filter_map(|r| r.body.as_ref().map(|b| &b.ty)));
        roots.extend(self.other_media.iter().map(|m| &m.ty));
        roots.extend(self.paging.iter().map(|p| &p.item));
        roots
    }

    /// Whether success statuses give back different things, so `send` returns an enum.
    pub fn has_mixed_outcomes(&self) -> bool {
        let outcomes = self.outcomes();
        outcomes.iter().any(|(_, o)| *o != outcomes[0].1)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// How a parameter's value is written (OpenAPI `style`), one the location allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Form,
    Simple,
    Label,
    Matrix,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

#[derive(Debug, Clone)]
pub struct Parameter {
    pub wire: String,
    /// The Rust argument or setter name, set by `naming`.
    pub name: String,
    pub location: ParamLocation,
    /// The OpenAPI `style`, defaulted by location.
    pub style: Style,
    pub explode: bool,
    pub required: bool,
    pub doc: Option<String>,
    pub ty: TypeRef,
}

/// How a body is carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    /// JSON, typed by the schema.
    Json,
    /// `application/x-www-form-urlencoded`, typed by the schema.
    Form,
    /// Any `text/*`: a `String`.
    Text,
    /// `text/event-stream` (server-sent events): in a response, a stream of events whose
    /// data is typed by the response body's `ty`; in a request, text.
    Events,
    /// `multipart/form-data`: a `Multipart` type, or a form the caller builds.
    Multipart,
    /// Anything else (`application/octet-stream`, images, …): bytes.
    Bytes,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub required: bool,
    /// The schema's type for `Json` and `Form`; unused for `Text` and `Bytes`.
    pub ty: TypeRef,
    pub media: Media,
    /// The media type sent as `Content-Type`.
    pub content_type: String,
    /// Where its schema is written (JSON and form bodies).
    pub schema_pointer: Option<String>,
    pub doc: Option<String>,
    /// The other media types the operation accepts; with any, the body is an enum.
    pub alternatives: Vec<BodyAlternative>,
    /// Name of that enum, set by `naming`.
    pub enum_name: String,
    /// Its variant for the preferred media type, set by `naming`.
    pub variant: String,
}

/// One more media type a request body may be sent in.
#[derive(Debug, Clone)]
pub struct BodyAlternative {
    pub media: Media,
    pub content_type: String,
    pub ty: TypeRef,
    /// The enum variant, set by `naming`.
    pub variant: String,
}

#[derive(Debug, Clone)]
pub struct Response {
    /// `200`, `4XX`, `default`.
    pub status: String,
    /// Its variant in the operation's success or error enum (`NotFound`), set by `naming`.
    pub variant: String,
    pub description: Option<String>,
    /// The body, when the spec describes one.
    pub body: Option<ResponseBody>,
    /// An error enum holds this body in a `Box` (it is much larger than the others'),
    /// set by `layout`.
    pub boxed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseBody {
    pub media: Media,
    /// The media type, sent as `Accept`.
    pub content_type: String,
    /// The schema's type for `Json`; unused otherwise.
    pub ty: TypeRef,
    /// Examples the spec gives for this body, with their pointers.
    pub examples: Vec<(String, serde_json::Value)>,
    /// Where the body's schema is written, when it has one.
    pub schema_pointer: Option<String>,
}

/// Everything one spec generates.
#[derive(Debug)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub default_server: Option<String>,
    pub types: TypeSpace,
    pub operations: Vec<Operation>,
    /// The security schemes the spec declares, in name order.
    pub security_schemes: Vec<SecurityScheme>,
    /// The webhooks the spec describes, in name order.
    pub webhooks: Vec<Webhook>,
    /// The Cargo features of the generated crate, one per first tag (set by `naming` when
    /// per-tag features are on; empty otherwise). `Gate`s index it.
    pub features: Vec<String>,
}

/// One scheme of one `security` alternative.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityRequirement {
    /// The scheme's name in `components.securitySchemes`.
    pub scheme: String,
    pub scopes: Vec<String>,
}

/// A security scheme the spec declares, as the client sends it.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// Its name in `components.securitySchemes`.
    pub key: String,
    pub kind: SchemeKind,
    pub description: Option<String>,
    /// The client's setters for it, one per role `kind` has, set by `naming`.
    pub setters: Vec<(SetterRole, String)>,
}

/// What a security scheme is, in the terms of what the client sends.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemeKind {
    /// `http` `bearer`: `Authorization: Bearer <token>`.
    Bearer { format: Option<String> },
    /// `http` `basic`.
    Basic,
    /// `apiKey`: the key as header, query parameter or cookie `name`.
    ApiKey { place: KeyPlace, name: String },
    /// `oauth2`: a bearer access token; the client-credentials flow's token URL when the
    /// scheme has that flow (the client then fetches tokens itself).
    OAuth2 { token_url: Option<String> },
    /// `openIdConnect`: a bearer token the user supplies.
    OpenIdConnect,
    /// A scheme the client cannot send (`http` `digest`, `mutualTLS`, a malformed one):
    /// the user's middleware adds it; `what` says which, for the docs.
    Unsupported { what: String },
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPlace {
    Header,
    Query,
    Cookie,
}

/// What a client setter for a security scheme takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetterRole {
    /// A fixed bearer token.
    Token,
    /// A `TokenSource` asked on each attempt.
    TokenSource,
    /// A user name and password.
    Basic,
    /// An API key.
    ApiKey,
    /// A client id and secret for the client-credentials flow.
    ClientCredentials,
    /// A token URL replacing the spec's.
    TokenUrl,
}

impl SchemeKind {
    /// The setters a scheme of this kind gets, in the order they are emitted.
    pub fn roles(&self) -> &'static [SetterRole] {
        use SetterRole::*;
        match self {
            SchemeKind::Bearer { .. } | SchemeKind::OpenIdConnect => &[Token, TokenSource],
            SchemeKind::OAuth2 { token_url: Some(_) } => {
                &[Token, TokenSource, ClientCredentials, TokenUrl]
            }
            SchemeKind::OAuth2 { token_url: None } => &[Token, TokenSource],
            SchemeKind::Basic => &[Basic],
            SchemeKind::ApiKey { .. } => &[ApiKey],
            SchemeKind::Unsupported { .. } => &[],
        }
    }
}

/// A webhook the spec describes (OpenAPI 3.1 `webhooks`): a request the API sends you.
#[derive(Debug, Clone)]
pub struct Webhook {
    /// Its key under `webhooks` (`issues-opened`).
    pub name: String,
    /// The event it belongs to, in the spelling the parser compares (lower case, `-` for
    /// `_`): its `operationId` up to a `/` (`issues/opened` → `issues`), else the id, else
    /// the name.
    pub event: String,
    /// The payload's `action`, when the body schema allows one value only (`opened`).
    pub action: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The JSON payload's type.
    pub ty: TypeRef,
    /// Where the payload's schema is written.
    pub schema_pointer: String,
    /// The examples the spec gives for the payload, with their pointers.
    pub examples: Vec<(String, serde_json::Value)>,
    /// Its variant of `webhooks::Webhook`, set by `naming`.
    pub variant: String,
}
