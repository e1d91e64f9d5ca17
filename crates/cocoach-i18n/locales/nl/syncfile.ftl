# syncfile
