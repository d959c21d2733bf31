// Editor support: checks the front matter of content/articles/**.md against
// content/article.schema.json as you type (VS Code: the unifiedjs.vscode-remark
// extension, after `npm install`), and from the command line with `npm run check:front-matter`.
// `digest check` stays the authority; this only brings its key and type rules into the editor.
import remarkFrontmatter from "remark-frontmatter";
import remarkLintFrontmatterSchema from "remark-lint-frontmatter-schema";

export default {
  plugins: [
    remarkFrontmatter,
    [
      remarkLintFrontmatterSchema,
      { schemas: { "./content/article.schema.json": ["./content/articles/**/*.md"] } },
    ],
  ],
};
