"""Community: follows, hearts, comments, notifications and feeds. Filled by the community issue."""
