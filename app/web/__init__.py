"""Web plumbing every area's pages share: access, the unit of work, templates, labels,
messages and safe redirects, list downloads, charts."""
