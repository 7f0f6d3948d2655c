NET := y
