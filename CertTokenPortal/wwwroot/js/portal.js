// Small browser helpers for the portal (downloads, clipboard).
