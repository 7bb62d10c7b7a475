//! Lower: normalised schemas into the `TypeSpace`, merging structurally identical types.
//!
//! Every inline object, enum and union becomes a `TypeDef`; one that equals an existing
//! definition (ignoring docs) reuses it and only adds a name hint, which is how the
//! condition union written out 40 times becomes one type. Unions are classified here:
//! literal branches become unit variants, object branches get their tag properties.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use heck::ToUpperCamelCase;

use crate::ir::*;
use crate::normalise::{too_deep, Additional, Discriminator, Kind, OneOf, Schema, MAX_DEPTH};

/// The normalised targets of local references, by pointer (`Normaliser::locals`).
pub type Locals = HashMap<String, Schema>;

/// Where a schema is used: how to suggest a name for it, and whether enums are open.
#[derive(Clone)]
pub struct Context {
    pub hint: Hint,
    /// Response-side enums accept values the spec does not list.
    pub open_enums: bool,
}

impl Context {
    pub fn new(base: &str, open_enums: bool) -> Self {
        Context {
            hint: Hint {
                base: base.to_string(),
                ..Hint::default()
            },
            open_enums,
        }
    }

    /// The context of a child named `base` below this one.
    fn child(&self, base: String) -> Self {
        let mut parents = vec![self.hint.base.clone()];
        parents.extend(self.hint.parents.iter().cloned());
        Context {
            hint: Hint {
                base,
                parents,
                role: None,
            },
            open_enums: self.open_enums,
        }
    }

    /// Same owner, another word: array items, map values, union branches.
    fn element(&self, base: String) -> Self {
        Context {
            hint: Hint {
                base,
                parents: self.hint.parents.clone(),
                role: None,
            },
            open_enums: self.open_enums,
        }
    }

    /// An element that is the owner's `role` (`Item`, `Value`): `RuleSuitesItem` is the
    /// name it falls back on when `RuleSuite` is taken.
    fn element_as(&self, base: String, role: &str) -> Self {
        let mut ctx = self.element(base);
        if !ctx.hint.base.ends_with(role) {
            ctx.hint.role = Some(format!("{}{role}", self.hint.base));
        }
        ctx
    }
}

pub struct Lowerer {
    pub space: TypeSpace,
    /// Keep properties a schema does not declare in an `extra` map (config `unknown_properties: keep`).
    pub keep_unknown: bool,
    components: BTreeMap<String, TypeId>,
    interned: HashMap<String, TypeId>,
    /// The type each local reference target was lowered to, by pointer and open enums.
    local_types: HashMap<(String, bool), TypeRef>,
    /// Local targets being lowered right now, to find cycles through them.
    lowering: Vec<(String, bool)>,
    /// Local targets that contain themselves: each gets a named type before it is lowered.
    pub recursive_locals: BTreeSet<String>,
    /// Local targets found to contain themselves that `recursive_locals` did not name.
    pub found_recursive: BTreeSet<String>,
    /// Schemas nested around the one being lowered now.
    depth: usize,
    /// Problems met while lowering: pointer and message.
    pub errors: Vec<(String, String)>,
    /// Component schemas that are plain objects: what an id-or-object field may name.
    pub object_components: BTreeSet<String>,
}

impl Lowerer {
    /// Reserves a pinned slot for each component schema, so that references resolve
    /// before (and whether or not) the component itself is lowered.
    pub fn new(component_names: &[String]) -> Self {
        let mut space = TypeSpace::default();
        let mut components = BTreeMap::new();
        for name in component_names {
            components.insert(name.clone(), TypeId(space.types.len()));
            space.pending.insert(TypeId(space.types.len()));
            space.types.push(TypeDef {
                name: String::new(),
                module: Vec::new(),
                component: Some(name.clone()),
                hints: vec![Hint {
                    base: name.to_upper_camel_case(),
                    ..Hint::default()
                }],
                origin: format!("/components/schemas/{}", crate::error::escape_token(name)),
                doc: None,
                kind: TypeKind::Alias(TypeRef::Json),
                gate: Gate::default(),
            });
        }
        Lowerer {
            space,
            keep_unknown: false,
            components,
            interned: HashMap::new(),
            local_types: HashMap::new(),
            lowering: Vec::new(),
            recursive_locals: BTreeSet::new(),
            found_recursive: BTreeSet::new(),
            depth: 0,
            errors: Vec::new(),
            object_components: BTreeSet::new(),
        }
    }

    pub fn component_id(&self, name: &str) -> Option<TypeId> {
        self.components.get(name).copied()
    }

    /// Fills a component's pinned slot.
    pub fn lower_component(
        &mut self,
        name: &str,
        schema: &Schema,
        open_enums: bool,
        locals: &Locals,
    ) {
        let Some(id) = self.component_id(name) else {
            return;
        };
        let ctx = Context::new(&name.to_upper_camel_case(), open_enums);
        let kind = match self.define(schema, &ctx, locals) {
            Defined::Kind(kind) => kind,
            // Nullability travels with each reference to the component (see `normalise`).
            Defined::Ref(ty) => TypeKind::Alias(ty),
        };
        self.space.pending.remove(&id);
        let def = &mut self.space.types[id.0];
        def.kind = kind;
        // Its origin stays the component itself (set when the slot was reserved).
        def.doc = schema.doc.clone();
    }

    /// The type of a value of `schema` where no field can carry its nullability.
    pub fn lower_value(&mut self, schema: &Schema, ctx: &Context, locals: &Locals) -> TypeRef {
        let ty = self.lower(schema, ctx, locals);
        wrap_nullable(ty, nullable(schema, locals))
    }

    /// The type of `schema`, not counting `nullable` (the caller decides where it goes).
    pub fn lower(&mut self, schema: &Schema, ctx: &Context, locals: &Locals) -> TypeRef {
        // A schema that contains itself through local references is one named type,
        // whether it is met where it is written or through a reference.
        if !matches!(schema.kind, Kind::Local(_)) && self.recursive_locals.contains(&schema.pointer)
        {
            return self.lower_local(&schema.pointer.clone(), ctx, locals);
        }
        // A local reference is no level of its own: the schema it names is.
        let level = usize::from(!matches!(schema.kind, Kind::Local(_)));
        if self.depth + level > MAX_DEPTH {
            self.errors.push((schema.pointer.clone(), too_deep()));
            return TypeRef::Json;
        }
        self.depth += level;
        let ty = match self.define(schema, ctx, locals) {
            Defined::Ref(ty) => ty,
            Defined::Kind(kind) => TypeRef::Named(self.intern(kind, schema, ctx)),
        };
        self.depth -= level;
        ty
    }

    /// The type of the schema a local reference names, lowered once per target.
    fn lower_local(&mut self, target: &str, ctx: &Context, locals: &Locals) -> TypeRef {
        let key = (target.to_string(), ctx.open_enums);
        if let Some(ty) = self.local_types.get(&key) {
            // Another use names it too; a use inside its own definition does not.
            if let TypeRef::Named(id) = ty {
                if !self.space.pending.contains(id) {
                    self.space.types[id.0].hints.push(ctx.hint.clone());
                }
            }
            return ty.clone();
        }
        let Some(schema) = locals.get(target) else {
            // Not normalised: the normaliser has said why.
            return TypeRef::Json;
        };
        if self.recursive_locals.contains(target) {
            return self.lower_recursive_local(key, schema, ctx, locals);
        }
        if self.lowering.contains(&key) {
            // Found now; the next pass names it before it is met (see `api::build`).
            self.found_recursive.insert(target.to_string());
            return TypeRef::Json;
        }
        self.lowering.push(key.clone());
        let ty = self.lower(schema, ctx, locals);
        self.lowering.pop();
        self.local_types.insert(key, ty.clone());
        ty
    }

    /// A local target that contains itself: a named type, reserved before its schema is
    /// lowered so the references inside can name it, like a component's.
    fn lower_recursive_local(
        &mut self,
        key: (String, bool),
        schema: &Schema,
        ctx: &Context,
        locals: &Locals,
    ) -> TypeRef {
        let id = self.new_type(TypeKind::Alias(TypeRef::Json), schema, ctx);
        self.space.pending.insert(id);
        self.local_types.insert(key, TypeRef::Named(id));
        let kind = match self.define(schema, ctx, locals) {
            Defined::Kind(kind) => kind,
            Defined::Ref(ty) => TypeKind::Alias(ty),
        };
        self.space.pending.remove(&id);
        self.space.types[id.0].kind = kind;
        TypeRef::Named(id)
    }

    /// A `multipart/form-data` body: one field per property of an object schema, files
    /// (`format: binary`, or arrays of them) as `TypeRef::File`. `None` when the schema is
    /// not an object with properties, so that no part names are known.
    pub fn lower_multipart(
        &mut self,
        schema: &Schema,
        ctx: &Context,
        content_types: std::collections::BTreeMap<String, String>,
        locals: &Locals,
    ) -> Option<TypeRef> {
        let Kind::Object { properties, .. } = &schema.kind else {
            return None;
        };
        if properties.is_empty() {
            return None;
        }
        let fields = properties
            .iter()
            .map(|p| {
                let ty = match &p.schema.kind {
                    Kind::Binary => TypeRef::File,
                    Kind::Array(items) if items.kind == Kind::Binary => {
                        TypeRef::Vec(Box::new(TypeRef::File))
                    }
                    _ => self.lower(&p.schema, &ctx.child(property_word(&p.name)), locals),
                };
                Field {
                    wire: p.name.clone(),
                    name: String::new(),
                    doc: p.schema.doc.clone(),
                    ty,
                    required: p.required,
                    // A form has no `null`: a part is there or not.
                    nullable: false,
                    boxed: false,
                }
            })
            .collect();
        let kind = TypeKind::Multipart(Multipart {
            fields,
            content_types,
        });
        Some(TypeRef::Named(self.intern(kind, schema, ctx)))
    }

    fn intern(&mut self, kind: TypeKind, schema: &Schema, ctx: &Context) -> TypeId {
        let key = structural_key(&kind);
        if let Some(&id) = self.interned.get(&key) {
            let def = &mut self.space.types[id.0];
            def.hints.push(ctx.hint.clone());
            if def.doc.is_none() {
                def.doc = schema.doc.clone();
            }
            merge_docs(&mut def.kind, &kind);
            return id;
        }
        let id = self.new_type(kind, schema, ctx);
        self.interned.insert(key, id);
        id
    }

    /// A new inline type for `schema`, named later from the hint of where it is used.
    fn new_type(&mut self, kind: TypeKind, schema: &Schema, ctx: &Context) -> TypeId {
        let id = TypeId(self.space.types.len());
        self.space.types.push(TypeDef {
            name: String::new(),
            module: Vec::new(),
            component: None,
            hints: vec![ctx.hint.clone()],
            origin: schema.pointer.clone(),
            doc: schema.doc.clone(),
            kind,
            gate: Gate::default(),
        });
        id
    }

    fn define(&mut self, schema: &Schema, ctx: &Context, locals: &Locals) -> Defined {
        Defined::Ref(match &schema.kind {
            Kind::Any => TypeRef::Json,
            Kind::Bool => TypeRef::Bool,
            Kind::BoolConst(b) => TypeRef::BoolConst(*b),
            Kind::Integer { format } => match format.as_deref() {
                Some("int32") => TypeRef::I32,
                _ => TypeRef::I64,
            },
            Kind::Number => TypeRef::F64,
            Kind::String | Kind::Binary => TypeRef::String,
            Kind::Ref(name) => match self.component_id(name) {
                Some(id) => TypeRef::Named(id),
                None => TypeRef::Json,
            },
            Kind::Local(target) => self.lower_local(target, ctx, locals),
            Kind::Array(items) => {
                // Items of items keep the word: a grid's `cells` hold `Cell`s all the way
                // down, not `CellItemItem`s.
                let nested = ctx
                    .hint
                    .role
                    .as_deref()
                    .is_some_and(|r| r.ends_with("Item"));
                let word = if nested {
                    ctx.hint.base.clone()
                } else {
                    item_word(&ctx.hint.base)
                };
                let item_ctx = ctx.element_as(word, "Item");
                let ty = TypeRef::Vec(Box::new(self.lower_value(items, &item_ctx, locals)));
                // Arrays of arrays of arrays…: past a few levels a named alias keeps the
                // field types readable (and under clippy's `type_complexity`).
                if nesting(&ty) > MAX_NESTING {
                    return Defined::Kind(TypeKind::Alias(ty));
                }
                ty
            }
            Kind::Tuple(members) => return Defined::Kind(self.tuple(members, ctx, locals)),
            Kind::StringEnum(values) => {
                return Defined::Kind(TypeKind::Enum(StringEnum {
                    values: values
                        .iter()
                        .map(|v| EnumValue {
                            wire: v.clone(),
                            name: String::new(),
                        })
                        .collect(),
                    open: ctx.open_enums,
                    other: String::new(),
                }))
            }
            Kind::Object {
                properties,
                additional,
            } if properties.is_empty() => match additional {
                Additional::Schema(values) => {
                    let value_ctx = ctx.element_as(value_word_for_map(&ctx.hint.base), "Value");
                    TypeRef::Map(Box::new(self.lower_value(values, &value_ctx, locals)))
                }
                Additional::Any | Additional::Closed | Additional::Unspecified => {
                    TypeRef::Map(Box::new(TypeRef::Json))
                }
            },
            Kind::Object {
                properties,
                additional,
            } => {
                let mut fields = Vec::new();
                for p in properties {
                    let child = ctx.child(property_word(&p.name));
                    fields.push(Field {
                        wire: p.name.clone(),
                        name: String::new(),
                        doc: p.schema.doc.clone(),
                        ty: self.lower(&p.schema, &child, locals),
                        required: p.required,
                        nullable: nullable(&p.schema, locals),
                        boxed: false,
                    });
                }
                let extra = match additional {
                    Additional::Closed => None,
                    // Undeclared properties are kept (to re-encode them) only when asked.
                    Additional::Unspecified => self.keep_unknown.then_some(TypeRef::Json),
                    Additional::Any => Some(TypeRef::Json),
                    Additional::Schema(s) => {
                        Some(self.lower_value(s, &ctx.child("Extra".into()), locals))
                    }
                };
                let closed = *additional == Additional::Closed;
                return Defined::Kind(TypeKind::Struct(Struct {
                    fields,
                    extra,
                    closed,
                }));
            }
            Kind::OneOf(one_of) => match self.expandable(one_of, locals) {
                Some(object) => TypeRef::Expandable(object),
                None => return Defined::Kind(TypeKind::Union(self.union(one_of, ctx, locals))),
            },
        })
    }

    /// A tuple: one field per item schema, each named after its place if it needs a type
    /// of its own (`LocationFirst`).
    fn tuple(&mut self, members: &[Schema], ctx: &Context, locals: &Locals) -> TypeKind {
        let fields = members
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let word = format!("{}{}", ctx.hint.base, ordinal(i));
                Field {
                    wire: String::new(),
                    name: String::new(),
                    doc: m.doc.clone(),
                    ty: self.lower(m, &ctx.element(word), locals),
                    required: true,
                    nullable: nullable(m, locals),
                    boxed: false,
                }
            })
            .collect();
        TypeKind::Tuple(fields)
    }

    /// The object of an id-or-object union: two branches, a plain string and a reference
    /// to an object component, neither nullable, no discriminator (Stripe's expandable
    /// fields). One generic type holds them all, named after what it holds.
    fn expandable(&self, one_of: &OneOf, locals: &Locals) -> Option<TypeId> {
        if one_of.discriminator.is_some() || one_of.branches.len() != 2 {
            return None;
        }
        let (mut text, mut object) = (false, None);
        for branch in &one_of.branches {
            let branch = see_through(branch, locals);
            match &branch.kind {
                _ if branch.nullable => return None,
                Kind::String => text = true,
                Kind::Ref(name) if self.object_components.contains(name) => {
                    object = self.component_id(name);
                }
                _ => return None,
            }
        }
        object.filter(|_| text)
    }

    fn union(&mut self, one_of: &OneOf, ctx: &Context, locals: &Locals) -> Union {
        // Branches are classified by what they are, referenced or written in place.
        let branches: Vec<Schema> = one_of
            .branches
            .iter()
            .map(|b| see_through(b, locals))
            .collect();
        let branches = branches.as_slice();
        let tagging = match &one_of.discriminator {
            Some(d) => discriminator_tags(d, &one_of.branches),
            None => const_tags(branches),
        };
        let mut variants: Vec<Variant> = Vec::new();
        for (i, branch) in branches.iter().enumerate() {
            match &branch.kind {
                Kind::StringEnum(values) => {
                    for v in values {
                        variants.push(Variant {
                            name: value_word(v),
                            payload: Payload::Str(v.clone()),
                            position: i,
                        });
                    }
                }
                Kind::BoolConst(b) => variants.push(Variant {
                    name: if *b { "True".into() } else { "False".into() },
                    payload: Payload::Bool(*b),
                    position: i,
                }),
                _ => self.data_variants(i, branch, branches, &tagging, ctx, locals, &mut variants),
            }
        }
        // A literal two branches list is one value: the first keeps it.
        let mut literals_seen: Vec<Payload> = Vec::new();
        variants.retain(|v| match &v.payload {
            Payload::Str(_) | Payload::Bool(_) if literals_seen.contains(&v.payload) => false,
            Payload::Str(_) | Payload::Bool(_) => {
                literals_seen.push(v.payload.clone());
                true
            }
            _ => true,
        });
        let open = ctx.open_enums
            && (!tagging.keys.is_empty()
                || variants
                    .iter()
                    .any(|v| matches!(v.payload, Payload::Str(_))));
        if open {
            variants.push(Variant {
                name: "Unknown".into(),
                payload: Payload::Unknown,
                position: branches.len(),
            });
        }
        // A canonical order (by JSON kind, the spec's order within a kind) makes unions
        // that list the same branches differently one type; `dispatch` settles it again
        // once every component is known.
        variants.sort_by_key(|v| (kind_rank(&self.space, &v.payload), v.position));
        Union {
            tags: tagging.keys,
            variants,
            any_of: one_of.any_of,
            decode: Decode::default(),
        }
    }

    /// The variants of one data branch: one, or one per tag value that selects it.
    #[allow(clippy::too_many_arguments)]
    fn data_variants(
        &mut self,
        position: usize,
        branch: &Schema,
        branches: &[Schema],
        tagging: &Tagging,
        ctx: &Context,
        locals: &Locals,
        variants: &mut Vec<Variant>,
    ) {
        let values = &tagging.values[position];
        // A branch written in place loses its tag properties: the variant implies them.
        let strip = !values.is_empty() && matches!(branch.kind, Kind::Object { .. });
        let body = if strip {
            strip_tags(branch, &tagging.keys)
        } else {
            branch.clone()
        };
        let base = match values.as_slice() {
            [] => object_branch_word(&body, branches).unwrap_or_else(|| self.branch_word(&body)),
            [(name, _)] => name.clone(),
            // Several tags choose this branch: the type is named after the branch.
            _ => self.branch_word(&body),
        };
        let branch_ctx = match (&body.kind, values.is_empty()) {
            // A one-property object is best named after that property: `{expr}` is an `Expr`;
            // where that name is wanted elsewhere too, the union's own word comes first.
            (Kind::Object { properties, .. }, true) if properties.len() == 1 => {
                ctx.child(base.clone())
            }
            _ => ctx.element(format!("{base}{}", ctx.hint.base)),
        };
        let ty = self.lower_value(&body, &branch_ctx, locals);
        let names: Vec<(String, Vec<String>)> = if values.len() > 1 {
            values
                .iter()
                .map(|(_, tags)| (tags.iter().map(|t| value_word(t)).collect(), tags.clone()))
                .collect()
        } else if let [(name, tags)] = values.as_slice() {
            vec![(name.clone(), tags.clone())]
        } else {
            vec![(base, Vec::new())]
        };
        for (name, tag_values) in names {
            variants.push(Variant {
                name,
                payload: Payload::Data {
                    ty: ty.clone(),
                    tag_values,
                    strip,
                    boxed: false,
                },
                position,
            });
        }
    }

    /// A variant name from the branch's shape.
    fn branch_word(&self, branch: &Schema) -> String {
        match &branch.kind {
            Kind::Ref(name) => name.to_upper_camel_case(),
            Kind::Local(target) => property_word(target.rsplit('/').next().unwrap_or_default()),
            Kind::String | Kind::Binary => "Text".into(),
            Kind::Number => "Number".into(),
            Kind::Integer { .. } => "Integer".into(),
            Kind::Bool => "Bool".into(),
            Kind::Any => "Other".into(),
            Kind::Array(items) => match &items.kind {
                Kind::String | Kind::Binary => "Texts".into(),
                Kind::Number => "Numbers".into(),
                Kind::Integer { .. } => "Integers".into(),
                Kind::Bool => "Bools".into(),
                Kind::Ref(name) => format!("{}List", name.to_upper_camel_case()),
                Kind::StringEnum(_) => "List".into(),
                _ => "List".into(),
            },
            Kind::Object { properties, .. } if properties.len() == 1 => {
                property_word(&properties[0].name)
            }
            Kind::Object { properties, .. } if properties.is_empty() => "Map".into(),
            Kind::Object { .. } => "Object".into(),
            Kind::StringEnum(_) | Kind::BoolConst(_) | Kind::OneOf(_) => "Choice".into(),
            Kind::Tuple(_) => "Tuple".into(),
        }
    }
}

enum Defined {
    /// A type that needs a definition of its own.
    Kind(TypeKind),
    /// A type expressed without a definition (builtins, containers, references).
    Ref(TypeRef),
}

/// The word for the item at `index` of a tuple.
fn ordinal(index: usize) -> String {
    const WORDS: [&str; 10] = [
        "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth",
        "Tenth",
    ];
    match WORDS.get(index) {
        Some(word) => (*word).to_string(),
        None => format!("Item{}", index + 1),
    }
}

/// Whether `schema` admits `null`, counting what a local reference names.
fn nullable(schema: &Schema, locals: &Locals) -> bool {
    schema.nullable
        || matches!(&schema.kind, Kind::Local(t) if locals.get(t).is_some_and(|s| s.nullable))
}

/// `schema`, or for a local reference the schema it names (following references that
/// name references, each once).
fn see_through(schema: &Schema, locals: &Locals) -> Schema {
    let mut current = schema;
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    while let Kind::Local(target) = &current.kind {
        match locals.get(target) {
            Some(next) if seen.insert(target) => current = next,
            _ => break,
        }
    }
    let mut resolved = current.clone();
    resolved.nullable |= schema.nullable;
    resolved
}

fn wrap_nullable(ty: TypeRef, nullable: bool) -> TypeRef {
    if nullable && ty != TypeRef::Json {
        TypeRef::Nullable(Box::new(ty))
    } else {
        ty
    }
}

/// How many `Vec`, map and `Option` layers a type has before a named type or a scalar.
fn nesting(ty: &TypeRef) -> usize {
    match ty {
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => 1 + nesting(inner),
        _ => 0,
    }
}

/// Layers of nesting written out in a field's type before an alias names them.
const MAX_NESTING: usize = 4;

/// Identity of a definition for merging: its structure without docs or names.
fn structural_key(kind: &TypeKind) -> String {
    let mut k = kind.clone();
    match &mut k {
        TypeKind::Struct(Struct { fields, .. })
        | TypeKind::Multipart(Multipart { fields, .. })
        | TypeKind::AnyOf(AnyOf { fields })
        | TypeKind::Tuple(fields) => fields.iter_mut().for_each(|f| f.doc = None),
        // Their order (by kind, then the spec's) is kept; where the spec put them is not.
        TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| v.position = 0),
        TypeKind::Enum(_) | TypeKind::Alias(_) | TypeKind::Newtype(_) => {}
    }
    format!("{k:?}")
}

/// Field docs missing from the first occurrence are taken from later ones.
fn merge_docs(existing: &mut TypeKind, new: &TypeKind) {
    if let (TypeKind::Struct(a), TypeKind::Struct(b)) = (existing, new) {
        for (fa, fb) in a.fields.iter_mut().zip(&b.fields) {
            if fa.doc.is_none() {
                fa.doc = fb.doc.clone();
            }
        }
    }
}

/// The words a type name is made from for a property: `ui:read-only` → `ReadOnly`.
pub fn property_word(name: &str) -> String {
    // A namespace prefix (`ui:`, `git:`) says little about the type.
    let local = match name.rsplit_once(':') {
        Some((_, local)) if !local.is_empty() => local,
        _ => name,
    };
    let word = local.to_upper_camel_case();
    if word.is_empty() {
        "Property".into()
    } else if word.starts_with(|c: char| c.is_ascii_digit()) {
        format!("N{word}")
    } else {
        word
    }
}

/// A unit variant name from an enum value: `multi-vercel-region` → `MultiVercelRegion`.
pub fn value_word(value: &str) -> String {
    let word = value.to_upper_camel_case();
    if !word.is_empty() {
        return if word.starts_with(|c: char| c.is_ascii_digit()) {
            format!("V{word}")
        } else {
            word
        };
    }
    let named: Vec<&str> = value
        .chars()
        .map(|c| match c {
            '*' => "Any",
            '+' => "Plus",
            '-' => "Minus",
            '.' => "Dot",
            '/' => "Slash",
            '<' => "Less",
            '>' => "Greater",
            '=' => "Equal",
            '!' => "Not",
            '@' => "At",
            '#' => "Hash",
            '$' => "Dollar",
            '%' => "Percent",
            '&' => "And",
            '|' => "Or",
            '~' => "Tilde",
            '?' => "Question",
            _ => "",
        })
        .collect();
    let joined = named.concat();
    if joined.is_empty() {
        "Empty".into()
    } else {
        joined
    }
}

/// Rank of a union variant in the canonical order: strings, numbers, booleans, arrays, objects.
pub fn kind_rank(space: &TypeSpace, payload: &Payload) -> u8 {
    let kinds = match payload {
        Payload::Str(_) => JsonKinds::STRING,
        Payload::Bool(_) => JsonKinds::BOOL,
        Payload::Data { ty, .. } => space.kinds(ty),
        Payload::Unknown => return 10,
    };
    [
        JsonKinds::NULL,
        JsonKinds::STRING,
        JsonKinds::NUMBER,
        JsonKinds::BOOL,
        JsonKinds::ARRAY,
        JsonKinds::OBJECT,
    ]
    .iter()
    .position(|k| kinds.intersects(*k) && kinds != JsonKinds::ALL)
    .map_or(9, |p| p as u8)
}

/// A name for one of several untagged object branches, from the keys it requires that
/// the others do not (`WithLabel`), else the first it declares that they do not, or its
/// only required key (`Value`).
fn object_branch_word(branch: &Schema, branches: &[Schema]) -> Option<String> {
    let required = |s: &Schema| -> BTreeSet<String> {
        match &s.kind {
            Kind::Object { properties, .. } => properties
                .iter()
                .filter(|p| p.required)
                .map(|p| p.name.clone())
                .collect(),
            _ => BTreeSet::new(),
        }
    };
    let others: Vec<&Schema> = branches
        .iter()
        .filter(|b| b.pointer != branch.pointer && matches!(b.kind, Kind::Object { .. }))
        .collect();
    if others.is_empty() || !matches!(branch.kind, Kind::Object { .. }) {
        return None;
    }
    let mine = required(branch);
    let own: Vec<&String> = mine
        .iter()
        .filter(|k| others.iter().all(|o| !required(o).contains(*k)))
        .collect();
    if let Some(first) = own.first() {
        return Some(format!("With{}", property_word(first)));
    }
    // Else the first property it declares that no other branch declares.
    let declared = |s: &Schema| -> Vec<String> {
        match &s.kind {
            Kind::Object { properties, .. } => properties.iter().map(|p| p.name.clone()).collect(),
            _ => Vec::new(),
        }
    };
    let theirs: BTreeSet<String> = others.iter().flat_map(|o| declared(o)).collect();
    if let Some(first) = declared(branch).iter().find(|p| !theirs.contains(*p)) {
        return Some(format!("With{}", property_word(first)));
    }
    match mine.iter().collect::<Vec<_>>().as_slice() {
        [only] => Some(property_word(only)),
        _ => None,
    }
}

/// The word for the values of a map: the singular of a plural (`properties` → `Property`),
/// else `…Value` (`metadata` → `MetadataValue`).
pub fn value_word_for_map(base: &str) -> String {
    let singular = item_word(base);
    if singular.ends_with("Item") {
        format!("{base}Value")
    } else {
        singular
    }
}

/// The singular of the last word, or `…Item`: `Environments` → `Environment`.
pub fn item_word(base: &str) -> String {
    if let Some(stem) = base.strip_suffix("ies") {
        return format!("{stem}y");
    }
    if base.ends_with("ss") || base.ends_with("us") || base.ends_with("is") {
        return format!("{base}Item");
    }
    match base.strip_suffix('s') {
        Some(stem) if !stem.is_empty() => stem.to_string(),
        _ => format!("{base}Item"),
    }
}

/// The tag properties of a union and, per branch, the variant name and tag values of
/// each variant it gives (none for an untagged branch).
struct Tagging {
    keys: Vec<String>,
    values: Vec<Vec<(String, Vec<String>)>>,
}

/// Tags from a `discriminator`: each value that selects a branch. A referenced branch is
/// named after its component when one value selects it, else after the value.
fn discriminator_tags(d: &Discriminator, written: &[Schema]) -> Tagging {
    let mut values = vec![Vec::new(); written.len()];
    for (value, i) in &d.values {
        let name = match &written[*i].kind {
            Kind::Ref(component) if d.values.iter().filter(|(_, j)| j == i).count() == 1 => {
                component.to_upper_camel_case()
            }
            _ => value_word(value),
        };
        values[*i].push((name, vec![value.clone()]));
    }
    Tagging {
        keys: vec![d.property.clone()],
        values,
    }
}

/// Tags inferred without a discriminator: properties that every object branch requires
/// with a single string value, chosen so that their values together tell the branches
/// apart (most telling first).
fn const_tags(branches: &[Schema]) -> Tagging {
    let keys = tag_keys(branches);
    let values = tag_variant_names(branches, &keys)
        .into_iter()
        .map(|named| named.into_iter().collect())
        .collect();
    Tagging { keys, values }
}

fn tag_keys(branches: &[Schema]) -> Vec<String> {
    let objects: Vec<&Schema> = branches
        .iter()
        .filter(|b| matches!(b.kind, Kind::Object { .. }))
        .collect();
    if objects.len() < 2 {
        return Vec::new();
    }
    let consts: Vec<BTreeMap<&str, &str>> = objects.iter().map(|b| const_properties(b)).collect();
    let mut common: Vec<&str> = consts[0]
        .keys()
        .copied()
        .filter(|k| consts.iter().all(|c| c.contains_key(k)))
        .collect();
    // Most telling first: the property with the most distinct values.
    common.sort_by_key(|k| {
        let distinct: BTreeSet<&str> = consts.iter().map(|c| c[k]).collect();
        (std::cmp::Reverse(distinct.len()), *k)
    });
    let mut chosen: Vec<&str> = Vec::new();
    for key in common {
        chosen.push(key);
        let tuples: BTreeSet<Vec<&str>> = consts
            .iter()
            .map(|c| chosen.iter().map(|k| c[k]).collect())
            .collect();
        if tuples.len() == consts.len() {
            return chosen.iter().map(|k| k.to_string()).collect();
        }
    }
    Vec::new()
}

fn const_properties(schema: &Schema) -> BTreeMap<&str, &str> {
    let mut out = BTreeMap::new();
    if let Kind::Object { properties, .. } = &schema.kind {
        for p in properties {
            if let (true, Kind::StringEnum(values)) = (p.required, &p.schema.kind) {
                if let [only] = values.as_slice() {
                    out.insert(p.name.as_str(), only.as_str());
                }
            }
        }
    }
    out
}

/// For each branch: the variant name and tag values, when the union is tagged. The name
/// is the value of the most telling tag, prefixed by the other tags' values only where
/// that value alone is shared: `input` → `StringInput`/`NumberInput`, `toggle` → `Toggle`.
fn tag_variant_names(branches: &[Schema], tags: &[String]) -> Vec<Option<(String, Vec<String>)>> {
    if tags.is_empty() {
        return vec![None; branches.len()];
    }
    let values: Vec<Option<Vec<String>>> = branches
        .iter()
        .map(|b| {
            let c = const_properties(b);
            matches!(b.kind, Kind::Object { .. })
                .then(|| tags.iter().map(|t| c[t.as_str()].to_string()).collect())
        })
        .collect();
    let primary_count = |v: &str| values.iter().flatten().filter(|vs| vs[0] == v).count();
    values
        .iter()
        .map(|vs| {
            let vs = vs.as_ref()?;
            let name = if primary_count(&vs[0]) > 1 {
                let mut words: Vec<String> = vs[1..].iter().map(|v| value_word(v)).collect();
                words.push(value_word(&vs[0]));
                words.concat()
            } else {
                value_word(&vs[0])
            };
            Some((name, vs.clone()))
        })
        .collect()
}

fn strip_tags(branch: &Schema, tags: &[String]) -> Schema {
    let mut b = branch.clone();
    if let Kind::Object { properties, .. } = &mut b.kind {
        properties.retain(|p| !tags.contains(&p.name));
    }
    b
}
