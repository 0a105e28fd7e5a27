package rest

import (
	"encoding/json"
	"net/http"

	"github.com/creatorbase/creatorbase/internal/rest/schema"
)

// openAPIDocument is a minimal Swagger 2.0 document of one schema:
// paths per table, view and function, definitions per relation.
func openAPIDocument(c *schema.Cache, schemaName string, r *http.Request) ([]byte, error) {
	paths := map[string]any{"/": map[string]any{"get": map[string]any{"produces": []string{"application/openapi+json", "application/json"},
		"responses": map[string]any{"200": map[string]any{"description": "OK"}}, "summary": "OpenAPI description (this document)", "tags": []string{"Introspection"}}}}
	defs := map[string]any{}
	for name, rel := range c.Relations {
		if name.Schema != schemaName {
			continue
		}
		props := map[string]any{}
		var required []string
		for _, col := range rel.Columns {
			p := map[string]any{"format": col.Type, "type": jsonType(col.BaseType)}
			if col.Description != "" {
				p["description"] = col.Description
			}
			if col.Default != "" {
				p["default"] = col.Default
			}
			props[col.Name] = p
			if !col.Nullable && col.Default == "" && !col.Generated {
				required = append(required, col.Name)
			}
		}
		def := map[string]any{"type": "object", "properties": props}
		if len(required) > 0 {
			def["required"] = required
		}
		if rel.Description != "" {
			def["description"] = rel.Description
		}
		defs[name.Name] = def
		ops := map[string]any{"get": op(name.Name, "200")}
		if rel.Insertable {
			ops["post"] = op(name.Name, "201")
		}
		if rel.Updatable {
			ops["patch"] = op(name.Name, "204")
		}
		if rel.Deletable {
			ops["delete"] = op(name.Name, "204")
		}
		paths["/"+name.Name] = ops
	}
	for name, fns := range c.Functions {
		if name.Schema != schemaName {
			continue
		}
		ops := map[string]any{"post": op("(rpc) "+name.Name, "200")}
		for _, f := range fns {
			if f.Volatility != "volatile" {
				ops["get"] = op("(rpc) "+name.Name, "200")
			}
		}
		paths["/rpc/"+name.Name] = ops
	}
	return json.Marshal(map[string]any{
		"swagger":     "2.0",
		"info":        map[string]any{"title": "creatorbase Data API", "description": "PostgREST-compatible API of schema " + schemaName, "version": "14"},
		"host":        r.Host,
		"basePath":    "/rest/v1",
		"schemes":     []string{"http", "https"},
		"consumes":    []string{"application/json", "application/vnd.pgrst.object+json", "text/csv"},
		"produces":    []string{"application/json", "application/vnd.pgrst.object+json", "text/csv"},
		"paths":       paths,
		"definitions": defs,
	})
}

func op(tag, status string) map[string]any {
	return map[string]any{"tags": []string{tag}, "responses": map[string]any{status: map[string]any{"description": "OK"}}}
}

func jsonType(base string) string {
	switch base {
	case "int2", "int4", "int8":
		return "integer"
	case "float4", "float8", "numeric":
		return "number"
	case "bool":
		return "boolean"
	case "json", "jsonb":
		return "object"
	}
	if len(base) > 0 && base[0] == '_' {
		return "array"
	}
	return "string"
}
