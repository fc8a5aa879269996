//! The values a key can hold. Later data types add variants here, each with
//! its structure in its own module.

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(Vec<u8>),
}

impl Value {
    /// The name TYPE answers.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "string",
        }
    }
}
