// The frame of every coldbench page (the report, the history page): one self-contained HTML file
// with its title as heading, its style, the body, then the inlined vega libraries and the page's
// own renderer, so nothing is fetched when it opens.
import { escapeHtml as h } from './escape.js';
import { vegaScripts } from './vega-inline.js';

export async function htmlDocument(page: { title: string; style: string; body: string; render: string }): Promise<string> {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(page.title)}</title>
<style>${page.style}</style>
</head>
<body>
<h1>${h(page.title)}</h1>
${page.body}
${await vegaScripts()}
<script>${page.render}</script>
</body>
</html>
`;
}
