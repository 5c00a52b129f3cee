// The one place that tells a coder model how to write edits; every policy imports it.
// parseEdits.ts reads exactly this format (and tolerates common drift from it).

/** Line that, alone in a fenced block under a path, deletes that file. */
export const DELETE_FILE_MARKER = 'DELETE FILE';

export const EDIT_FORMAT_INSTRUCTIONS = `Write every change to the workspace as SEARCH/REPLACE blocks. Each block looks like this:

path/to/file.ts
\`\`\`ts
<<<<<<< SEARCH
exact lines copied from the current file
=======
the lines that replace them
>>>>>>> REPLACE
\`\`\`

Rules:
- Put the file's workspace-relative path alone on the line just before the opening fence (forward slashes, no "./", no absolute paths); a path with spaces goes in backticks, like \`docs/my notes.md\`.
- SEARCH must copy the current file's lines exactly, including indentation and comments. Keep it short: the few lines that change plus one or two unchanged lines so that it matches exactly one place in the file.
- Use several small blocks for several changes in one file, in the order they appear in the file. Each block applies to the file as the earlier blocks left it.
- To create a new file, use an empty SEARCH part and put the whole new content in the REPLACE part.
- To append to the end of an existing file, use an empty SEARCH part; the REPLACE part is added at the end.
- To delete a file, write its path and a fenced block that contains only the line ${DELETE_FILE_MARKER}:

path/to/obsolete.ts
\`\`\`
${DELETE_FILE_MARKER}
\`\`\`

- To delete lines, put them in SEARCH and leave REPLACE empty. Never use an empty REPLACE to empty a whole file.
- Do not put line numbers, "..." or placeholders like "// rest unchanged" inside SEARCH or REPLACE.
- Only edit files inside the workspace; never edit anything under .git/.`;
