//! The core's list of operations (`neon_api_keys::OPERATIONS`), for the Swift test that fails when the public
//! API misses one of them.

/// One operation of the SDK.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct FfiOperation {
    /// The snake_case name (the conformance suite's `operation`).
    pub name: String,
    /// The lowerCamelCase name.
    pub camel_name: String,
    /// The arguments in order; a trailing `?` marks an optional one.
    pub arguments: Vec<String>,
    /// What it does, in one line.
    pub summary: String,
}

/// Every public operation, in the core's order.
#[uniffi::export]
pub fn ffi_operations() -> Vec<FfiOperation> {
    neon_api_keys::OPERATIONS
        .iter()
        .map(|op| FfiOperation {
            name: op.name.to_string(),
            camel_name: op.camel_name(),
            arguments: op.args.iter().map(|a| a.to_string()).collect(),
            summary: op.summary.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn all_operations_cross() {
        let ops = super::ffi_operations();
        assert_eq!(ops.len(), neon_api_keys::OPERATIONS.len());
        assert_eq!(ops[0].camel_name, "listApiKeys");
    }
}
