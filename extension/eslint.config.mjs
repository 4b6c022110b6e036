// ESLint for the extension's TypeScript (`cargo xtask lint` runs it; any problem fails).
// ESLint's and typescript-eslint's recommended rules, and the security rules: no code from
// strings (eval, new Function, string timers) and no HTML from strings (no-unsanitized, and
// the restrictions below for what that plugin does not cover).

import js from "@eslint/js";
import noUnsanitized from "eslint-plugin-no-unsanitized";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

const stringTimer = "Pass setTimeout and setInterval a function, never a string (it would be evaluated).";

export default defineConfig([
  { files: ["src/**/*.ts"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  noUnsanitized.configs.recommended,
  {
    files: ["src/**/*.ts"],
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "no-unsanitized/method": "error",
      "no-unsanitized/property": "error",
      "no-restricted-syntax": [
        "error",
        { selector: "Identifier[name='DOMParser']", message: "No DOMParser: no HTML from strings." },
        {
          selector: "CallExpression[callee.name=/^set(?:Timeout|Interval)$/][arguments.0.type=/^(?:Literal|TemplateLiteral|BinaryExpression)$/]",
          message: stringTimer,
        },
        {
          selector:
            "CallExpression[callee.property.name=/^set(?:Timeout|Interval)$/][arguments.0.type=/^(?:Literal|TemplateLiteral|BinaryExpression)$/]",
          message: stringTimer,
        },
      ],
      "no-restricted-properties": [
        "error",
        { object: "document", property: "write", message: "No document.write: no HTML from strings." },
        { object: "document", property: "writeln", message: "No document.writeln: no HTML from strings." },
        { property: "srcdoc", message: "No srcdoc: no HTML from strings." },
      ],
    },
  },
]);
