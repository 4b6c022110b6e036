//! The engine as a JavaScript class, for the extension's background context.
//!
//! ```js
//! const engine = new Engine(settings);   // settings: plain object or undefined
//! engine.check(text);                    // [{rule, category, severity, start, end, text, ...}]
//! engine.rules();                        // metadata for the options page
//! engine.warm(10);                        // compiles 10 more patterns; true when all are
//! engine.setSettings(settings);          // throws Error naming the bad field
//! engine.checkImage(bytes, fileName);    // {format, status, findings, notes} for a photo
//! engine.stripImage(bytes);              // Uint8Array: the photo without metadata, or throws
//! ```
//! Offsets are UTF-16 code units, as JavaScript strings count. Settings travel as JSON so
//! that errors name the field at fault, exactly as in the CLI.

use crate::{Checker, Config};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Engine {
    checker: Checker,
}

fn checker_for(settings: &JsValue) -> Result<Checker, JsError> {
    let config = if settings.is_undefined() || settings.is_null() {
        Config::default()
    } else {
        let json = js_sys::JSON::stringify(settings)
            .map_err(|_| JsError::new("invalid settings: not representable as JSON"))?;
        Config::from_json(&String::from(json)).map_err(|e| JsError::new(&e.to_string()))?
    };
    Checker::new(config).map_err(|e| JsError::new(&e.to_string()))
}

/// Plain objects (not Maps), `null` for missing values.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsError::new(&e.to_string()))
}

#[wasm_bindgen]
impl Engine {
    #[wasm_bindgen(constructor)]
    pub fn new(settings: JsValue) -> Result<Engine, JsError> {
        Ok(Engine { checker: checker_for(&settings)? })
    }

    /// Findings for `text`, sorted by position.
    pub fn check(&self, text: &str) -> Result<JsValue, JsError> {
        to_js(&self.checker.check(text))
    }

    /// Compiles up to `count` patterns no check has needed yet; true when all are compiled.
    pub fn warm(&self, count: u32) -> bool {
        self.checker.warm(count as usize)
    }

    /// Every rule's metadata, in pack order.
    pub fn rules(&self) -> Result<JsValue, JsError> {
        to_js(&self.checker.rules())
    }

    /// The settings in force, with defaults filled in.
    pub fn settings(&self) -> Result<JsValue, JsError> {
        to_js(self.checker.config())
    }

    /// What a photo's metadata and file name give away (`bytes` is a Uint8Array).
    #[wasm_bindgen(js_name = checkImage)]
    pub fn check_image(&self, bytes: &[u8], file_name: &str) -> Result<JsValue, JsError> {
        to_js(&self.checker.check_image(bytes, file_name))
    }

    /// The photo without its metadata, the picture data unchanged; throws when the file is
    /// not an image, is damaged or too large.
    #[wasm_bindgen(js_name = stripImage)]
    pub fn strip_image(&self, bytes: &[u8]) -> Result<Vec<u8>, JsError> {
        crate::strip_metadata(bytes).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Replaces the settings; on error the previous settings stay in force.
    #[wasm_bindgen(js_name = setSettings)]
    pub fn set_settings(&mut self, settings: JsValue) -> Result<(), JsError> {
        self.checker = checker_for(&settings)?;
        Ok(())
    }
}
