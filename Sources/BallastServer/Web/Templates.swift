import Mustache

/// The HTML pages, as Mustache templates compiled once at start. `{{x}}` escapes HTML; the only
/// unescaped insertion is the page body into the layout (`{{{content}}}`), itself rendered from an
/// escaping template. No external assets, no scripts.
enum Templates {
    static let sources: [String: String] = [
        "layout": """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Ballast</title>
        <style>
        body{font-family:system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
        header{background:#17324d;color:#fff;padding:.6rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
        header a,header button{color:#fff;text-decoration:none;background:none;border:0;font:inherit;cursor:pointer;padding:0}
        header .brand{font-weight:700;margin-right:1rem}
        main{max-width:60rem;margin:1.5rem auto;padding:0 1rem}
        .card{background:#fff;border:1px solid #d8dde3;border-radius:6px;padding:1rem 1.25rem;margin-bottom:1rem}
        table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e4e7eb}
        td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
        label{display:block;font-weight:600;margin-top:.6rem}
        input,select{font:inherit;padding:.3rem;min-width:14rem}
        .hint{color:#5b6673;font-size:.85rem}.error{color:#b3261e;font-size:.9rem}
        .flash{background:#fff4d6;border:1px solid #e8c66a;padding:.6rem 1rem;border-radius:6px;margin-bottom:1rem}
        .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr));gap:0 1.5rem}
        button.primary{background:#17324d;color:#fff;border:0;border-radius:4px;padding:.5rem 1.2rem;font:inherit;margin-top:1rem;cursor:pointer}
        form.inline{display:inline}code{background:#eef1f4;padding:.1rem .3rem;border-radius:3px;word-break:break-all}
        </style></head><body>
        <header><span class="brand">Ballast</span>
        {{#user}}
        <a href="/dashboard">Dashboard</a><a href="/predict">Predict</a><a href="/batch">Batch</a><a href="/history">History</a><a href="/keys">API keys</a>
        {{#isAdmin}}<a href="/admin/models">Models</a><a href="/admin/users">Users</a>{{/isAdmin}}
        <span style="margin-left:auto">{{name}} ({{role}})</span>
        <form class="inline" method="post" action="/logout"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Log out</button></form>
        {{/user}}
        {{^user}}<a href="/login">Log in</a>{{#signupOpen}}<a href="/signup">Sign up</a>{{/signupOpen}}{{/user}}
        </header>
        <main>{{#flash}}<div class="flash">{{.}}</div>{{/flash}}{{{content}}}</main></body></html>
        """,
        "account": """
        <div class="card"><h1>{{heading}}</h1>
        {{#message}}<p class="error">{{.}}</p>{{/message}}
        <form method="post" action="{{action}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="name">User name</label><input id="name" name="name" value="{{name}}" maxlength="64" required autocomplete="username">
        <label for="password">Password</label><input id="password" name="password" type="password" maxlength="72" required autocomplete="{{autocomplete}}">
        {{#signup}}<p class="hint">At least 8 characters. The first account becomes the administrator.</p>{{/signup}}
        <button class="primary" type="submit">{{heading}}</button></form></div>
        """,
        "dashboard": """
        <h1>Dashboard</h1>
        {{#model}}<div class="card"><h2>Active model: {{name}}</h2>
        <p>{{spec}}{{#balance}} with balancing <b>{{.}}</b>{{/balance}}; trained on {{rows}} rows ({{source}}), seed {{seed}}; Ballast {{version}}.</p>
        <p class="hint">SHA-256 <code>{{sha256}}</code></p>
        <table><tr><th>class</th><th class="n">training rows</th><th class="n">fitted on</th></tr>
        {{#classes}}<tr><td>{{name}}</td><td class="n">{{training}}</td><td class="n">{{fitted}}</td></tr>{{/classes}}</table>
        <p>{{featureCount}} input fields. <a href="/predict">Classify a record</a> · <a href="/batch">Upload a CSV</a></p></div>{{/model}}
        {{^model}}<div class="card"><p>No model is active. An administrator can upload one under Models.</p></div>{{/model}}
        <div class="card"><h2>Your activity</h2><p>{{predictionCount}} predictions recorded. <a href="/history">History</a></p></div>
        """,
        "predict": """
        <h1>Classify a record</h1>
        <div class="card"><p class="hint">Model {{modelName}}. Enter the raw feature values (as in the training file). Defaults are the training medians and most frequent categories.</p>
        {{#hasErrors}}<p class="error">Some fields need attention (marked below).</p>{{/hasErrors}}
        <form method="post" action="/predict"><input type="hidden" name="csrf" value="{{csrf}}">
        <div class="grid">
        {{#fields}}<div>
        <label for="f-{{index}}">{{name}}</label>
        {{#isSelect}}<select id="f-{{index}}" name="{{name}}">{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/options}}</select>{{/isSelect}}
        {{^isSelect}}<input id="f-{{index}}" name="{{name}}" value="{{value}}" inputmode="decimal">
        <div class="hint">{{kind}}, training range {{min}} … {{max}}</div>{{/isSelect}}
        {{#error}}<div class="error">{{.}}</div>{{/error}}
        </div>{{/fields}}
        </div>
        <button class="primary" type="submit">Predict</button></form></div>
        """,
        "result": """
        <h1>Prediction: {{predicted}}</h1>
        <div class="card"><p>Model {{modelName}} predicts <b>{{predicted}}</b> with probability {{confidence}}.</p>
        <svg role="img" aria-label="class probabilities" width="560" height="{{height}}" viewBox="0 0 560 {{height}}" xmlns="http://www.w3.org/2000/svg">
        {{#bars}}<text x="0" y="{{textY}}" font-size="13" font-family="sans-serif">{{name}}</text>
        <rect x="110" y="{{y}}" width="{{width}}" height="18" fill="{{color}}"></rect>
        <text x="{{labelX}}" y="{{textY}}" font-size="13" font-family="sans-serif">{{percent}}</text>{{/bars}}
        </svg>
        {{#unseen}}<p class="hint">Categories unseen in training: {{.}}</p>{{/unseen}}
        <p><a href="/predict">Classify another record</a> · <a href="/history">History</a></p></div>
        """,
        "batch": """
        <h1>Batch scoring</h1>
        <div class="card"><p class="hint">Upload a CSV file with the model's feature columns (any order; extra columns ignored; a label column is copied). Limit {{limit}}.</p>
        {{#message}}<p class="error">{{.}}</p>{{/message}}
        <form method="post" action="/batch" enctype="multipart/form-data"><input type="hidden" name="csrf" value="{{csrf}}">
        <label for="file">CSV file</label><input id="file" type="file" name="file" accept=".csv,.txt,text/csv" required>
        <button class="primary" type="submit">Score</button></form></div>
        {{#result}}<div class="card"><h2>{{fileName}}: {{rows}} records</h2>
        <table><tr><th>predicted class</th><th class="n">records</th></tr>{{#counts}}<tr><td>{{name}}</td><td class="n">{{count}}</td></tr>{{/counts}}</table>
        {{#unseen}}<p class="hint">Categories unseen in training: {{.}}</p>{{/unseen}}
        <p><a href="/batch/{{batchID}}.csv">Download predictions (CSV)</a></p></div>{{/result}}
        """,
        "history": """
        <h1>Your predictions</h1>
        <div class="card">{{#empty}}<p>No predictions yet.</p>{{/empty}}
        {{^empty}}<table><tr><th>when (UTC)</th><th>source</th><th>model</th><th class="n">records</th><th>result</th><th></th></tr>
        {{#items}}<tr><td>{{when}}</td><td>{{source}}</td><td>{{modelID}}</td><td class="n">{{rows}}</td><td>{{summary}}</td>
        <td>{{#batchID}}<a href="/batch/{{.}}.csv">CSV</a>{{/batchID}}</td></tr>{{/items}}</table>{{/empty}}</div>
        """,
        "keys": """
        <h1>API keys</h1>
        {{#newKey}}<div class="flash">New key (shown once; copy it now): <code>{{.}}</code></div>{{/newKey}}
        <div class="card"><table><tr><th>id</th><th>name</th><th>created (UTC)</th><th>status</th><th></th></tr>
        {{#keys}}<tr><td><code>{{id}}</code></td><td>{{name}}</td><td>{{when}}</td><td>{{status}}</td>
        <td>{{^revoked}}<form class="inline" method="post" action="/keys/{{id}}/revoke"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Revoke</button></form>{{/revoked}}</td></tr>{{/keys}}
        </table>
        <form method="post" action="/keys"><input type="hidden" name="csrf" value="{{csrf}}">
        <label for="keyname">Name</label><input id="keyname" name="name" maxlength="64" required value="script">
        <button class="primary" type="submit">Create key</button></form>
        <p class="hint">Use it as <code>Authorization: Bearer KEY</code> on <code>/api/v1</code>; see <a href="/api/v1/openapi.json">openapi.json</a>.</p></div>
        """,
        "models": """
        <h1>Models</h1>
        {{#message}}<div class="flash">{{.}}</div>{{/message}}
        <div class="card"><table><tr><th>id</th><th>name</th><th>summary</th><th>added (UTC)</th><th></th></tr>
        {{#models}}<tr><td>{{id}}</td><td>{{name}}{{#active}} <b>(active)</b>{{/active}}</td><td>{{summary}}</td><td>{{when}}</td><td>
        {{^active}}<form class="inline" method="post" action="/admin/models/{{id}}/activate"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Activate</button></form>
        <form class="inline" method="post" action="/admin/models/{{id}}/delete"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Delete</button></form>{{/active}}
        </td></tr>{{/models}}</table></div>
        <div class="card"><h2>Upload a bundle</h2><p class="hint">A file written by <code>ballast train</code>; its checksum and contents are verified. Limit {{limit}}.</p>
        <form method="post" action="/admin/models" enctype="multipart/form-data"><input type="hidden" name="csrf" value="{{csrf}}">
        <label for="bundle">Bundle file</label><input id="bundle" type="file" name="bundle" required>
        <label><input type="checkbox" name="activate" value="1" checked style="min-width:0"> activate after upload</label>
        <button class="primary" type="submit">Upload</button></form></div>
        """,
        "users": """
        <h1>Users</h1>
        {{#message}}<div class="flash">{{.}}</div>{{/message}}
        <div class="card"><table><tr><th>id</th><th>name</th><th>role</th><th>status</th><th></th></tr>
        {{#users}}<tr><td>{{id}}</td><td>{{name}}</td><td>{{role}}</td><td>{{status}}</td><td>
        <form class="inline" method="post" action="/admin/users/{{id}}/role"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="role" value="{{otherRole}}"><button type="submit">Make {{otherRole}}</button></form>
        <form class="inline" method="post" action="/admin/users/{{id}}/{{toggle}}"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">{{toggle}}</button></form>
        </td></tr>{{/users}}</table></div>
        """,
        "error": """
        <div class="card"><h1>{{heading}}</h1><p>{{message}}</p><p><a href="/">Back</a></p></div>
        """,
    ]

    /// The compiled library.
    /// - Throws: a Mustache parse error (a bug in the templates above; a test renders every page).
    static func library() throws -> MustacheLibrary {
        var templates: [String: MustacheTemplate] = [:]
        for (name, source) in sources { templates[name] = try MustacheTemplate(string: source) }
        return MustacheLibrary(templates: templates)
    }
}
