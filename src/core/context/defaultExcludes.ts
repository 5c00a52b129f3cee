/** Left out of the context index unless the user says otherwise: VS Code's files.exclude and search.exclude defaults. */
export const DEFAULT_EXCLUDES = ['**/.git', '**/.svn', '**/.hg', '**/CVS', '**/.DS_Store', '**/Thumbs.db', '**/node_modules', '**/bower_components'];
