//! The browser's `localStorage` and clock, with every failure turned into
//! a sentence the page can show (private modes disable storage; a full
//! quota throws).

use wasm_bindgen::JsCast;

fn local_storage() -> Result<web_sys::Storage, String> {
    let window = web_sys::window().ok_or("No window.")?;
    match window.local_storage() {
        Ok(Some(storage)) => Ok(storage),
        _ => Err("This browser does not let the page use local storage.".into()),
    }
}

/// Why nothing can be saved at all, if so.
pub fn problem() -> Option<String> {
    local_storage()
        .err()
        .map(|e| e + " Your commands will not survive a reload.")
}

pub fn read(key: &str) -> Option<String> {
    local_storage().ok()?.get_item(key).ok().flatten()
}

/// What is stored under `key`, or why storage cannot be read.
pub fn try_read(key: &str) -> Result<Option<String>, String> {
    local_storage()?
        .get_item(key)
        .map_err(|_| "Could not read this browser's local storage.".to_string())
}

/// Stores `value`, or says why it could not.
pub fn write(key: &str, value: &str) -> Result<(), String> {
    write_as(key, value, "the console")
}

/// Stores `value` (`what` it is, for the message), or says why it could
/// not.
pub fn write_as(key: &str, value: &str, what: &str) -> Result<(), String> {
    local_storage()?.set_item(key, value).map_err(|err| {
        match err.dyn_ref::<web_sys::DomException>().map(|e| e.name()) {
            Some(name) if name == "QuotaExceededError" => {
                format!("Could not save {what}: the browser's storage for this page is full.")
            }
            Some(name) => format!("Could not save {what} ({name})."),
            None => format!("Could not save {what}."),
        }
    })
}

pub fn remove(key: &str) {
    if let Ok(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}

/// Monotonic real time in ms (`performance.now()`), falling back to the
/// wall clock where there is no Performance object.
pub fn real_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}
