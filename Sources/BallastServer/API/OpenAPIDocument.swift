/// The OpenAPI 3.1 description of `/api/v1`, written by hand (the API has five operations; a
/// generator would add a build plugin for no gain). A test checks that it parses and lists every route.
enum OpenAPIDocument {
    static let json = #"""
    {
      "openapi": "3.1.0",
      "info": {"title": "Ballast intrusion-detection API", "version": "1.0.0",
               "description": "Classify network flow records with the active Ballast model. Authenticate with an API key created on the web page /keys: 'Authorization: Bearer KEY'."},
      "servers": [{"url": "/"}],
      "components": {
        "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer"}},
        "schemas": {
          "Error": {"type": "object", "required": ["error"], "properties": {
            "error": {"type": "string"}, "field": {"type": "string", "description": "the first field at fault, e.g. records[0].duration"},
            "errors": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}}}},
          "Record": {"type": "object", "description": "Raw feature values keyed by the training file's column names: numbers for numeric columns, strings for categorical ones.",
                     "additionalProperties": {"type": ["number", "string"]}},
          "Prediction": {"type": "object", "required": ["class", "probabilities"], "properties": {
            "class": {"type": "string"}, "probabilities": {"type": "object", "additionalProperties": {"type": "number"}}}},
          "Model": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "sha256": {"type": "string"},
                    "summary": {"type": "string"}, "active": {"type": "boolean"}, "created_at": {"type": "string", "format": "date-time"}}}
        },
        "responses": {
          "Unauthorized": {"description": "missing, invalid or revoked API key", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "Invalid": {"description": "a record or field cannot be used; the field is named", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "TooLarge": {"description": "body larger than the server's limit", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "NoModel": {"description": "no model is active", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        }
      },
      "paths": {
        "/api/v1/predict": {"post": {
          "summary": "Classify records given as JSON objects", "security": [{"apiKey": []}],
          "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["records"],
            "properties": {"records": {"type": "array", "minItems": 1, "maxItems": 100000, "items": {"$ref": "#/components/schemas/Record"}}}}}}},
          "responses": {
            "200": {"description": "one prediction per record, in order", "content": {"application/json": {"schema": {"type": "object", "properties": {
              "model": {"$ref": "#/components/schemas/Model"}, "predictions": {"type": "array", "items": {"$ref": "#/components/schemas/Prediction"}},
              "unseen_categories": {"type": "object", "additionalProperties": {"type": "integer"}}}}}}},
            "400": {"description": "the body is not JSON", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            "401": {"$ref": "#/components/responses/Unauthorized"}, "413": {"$ref": "#/components/responses/TooLarge"},
            "422": {"$ref": "#/components/responses/Invalid"}, "503": {"$ref": "#/components/responses/NoModel"}}}},
        "/api/v1/predict/batch": {"post": {
          "summary": "Classify the records of a CSV file sent as the body", "security": [{"apiKey": []}],
          "description": "Read like `ballast predict` reads a file: the model's feature columns in any order, extra columns ignored, the label column copied. Send 'Accept: text/csv' for the predictions as CSV.",
          "requestBody": {"required": true, "content": {"text/csv": {"schema": {"type": "string"}}}},
          "responses": {
            "200": {"description": "predictions", "content": {
              "application/json": {"schema": {"type": "object", "properties": {"rows": {"type": "integer"}, "classes": {"type": "array", "items": {"type": "string"}},
                "counts": {"type": "object", "additionalProperties": {"type": "integer"}}, "predicted": {"type": "array", "items": {"type": "string"}},
                "probabilities": {"type": "array", "items": {"type": "array", "items": {"type": "number"}}}}}},
              "text/csv": {"schema": {"type": "string"}}}},
            "401": {"$ref": "#/components/responses/Unauthorized"}, "413": {"$ref": "#/components/responses/TooLarge"},
            "422": {"$ref": "#/components/responses/Invalid"}, "503": {"$ref": "#/components/responses/NoModel"}}}},
        "/api/v1/models": {"get": {
          "summary": "List the registered models", "security": [{"apiKey": []}],
          "responses": {"200": {"description": "the registry", "content": {"application/json": {"schema": {"type": "object", "properties": {
            "models": {"type": "array", "items": {"$ref": "#/components/schemas/Model"}}}}}}},
            "401": {"$ref": "#/components/responses/Unauthorized"}}}},
        "/healthz": {"get": {"summary": "Liveness and the active model", "responses": {"200": {"description": "ok"}}}},
        "/metrics": {"get": {"summary": "Prometheus metrics (text exposition format)", "responses": {"200": {"description": "metrics", "content": {"text/plain": {"schema": {"type": "string"}}}}}}}
      }
    }
    """#
}
