pub mod rt {
    use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
    use serde::ser::{SerializeMap, Serializer};
    use std::marker::PhantomData;
    pub trait FromObject: Sized {
        const NAME: &'static str;
        const FIELDS: &'static [&'static str];
        fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
    }
    pub struct Object<T>(PhantomData<T>);
    impl<T> Object<T> {
        pub fn new() -> Self {
            Object(PhantomData)
        }
    }
    impl<'de, T: FromObject> Visitor<'de> for Object<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "struct {}", T::NAME)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::from_map(map)
        }
    }
    pub struct Key(pub &'static [&'static str]);
    impl<'de> DeserializeSeed<'de> for Key {
        type Value = usize;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
            d.deserialize_str(self)
        }
    }
    impl<'de> Visitor<'de> for Key {
        type Value = usize;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a field name")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
            Ok(self.0.iter().position(|f| *f == v).unwrap_or(usize::MAX))
        }
    }
    pub fn put<'de, A: MapAccess<'de>, T: de::Deserialize<'de>>(
        map: &mut A,
        slot: &mut Option<T>,
        i: usize,
        fields: &'static [&'static str],
    ) -> Result<(), A::Error> {
        if slot.is_some() {
            return Err(de::Error::duplicate_field(fields[i]));
        }
        *slot = Some(map.next_value()?);
        Ok(())
    }
    pub fn missing<E: de::Error>(i: usize, fields: &'static [&'static str]) -> E {
        E::missing_field(fields[i])
    }
    pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
        map.next_value::<IgnoredAny>().map(|_| ())
    }
    pub struct Out<M: SerializeMap>(Result<M, M::Error>);
    impl<M: SerializeMap> Out<M> {
        pub fn new<S: Serializer<SerializeMap = M, Ok = M::Ok, Error = M::Error>>(s: S) -> Self {
            Out(s.serialize_map(None))
        }
        pub fn field<T: serde::Serialize + ?Sized>(&mut self, k: &'static str, v: &T) {
            if let Ok(m) = &mut self.0 {
                if let Err(e) = m.serialize_entry(k, v) {
                    self.0 = Err(e);
                }
            }
        }
        pub fn opt<T: serde::Serialize>(&mut self, k: &'static str, v: &Option<T>) {
            if let Some(v) = v {
                self.field(k, v)
            }
        }
        pub fn end(self) -> Result<M::Ok, M::Error> {
            self.0.and_then(SerializeMap::end)
        }
    }
}
