// Small browser helpers for the portal (downloads, clipboard), called from Components/Shared/PortalJs.cs.
window.portal = {
    // The dark-mode choice, kept in this browser: "dark", "light", or null when the person never chose.
    getThemeChoice: function () {
        try {
            return localStorage.getItem("portal.theme");
        } catch {
            return null;
        }
    },

    setThemeChoice: function (choice) {
        try {
            localStorage.setItem("portal.theme", choice);
        } catch {
            // private mode or storage disabled: the choice lasts for this page only
        }
    },

    // Saves bytes streamed from the server (a DotNetStreamReference) as a file: the browser shows a normal download.
    saveFile: async function (fileName, contentType, streamReference) {
        const buffer = await streamReference.arrayBuffer();
        const url = URL.createObjectURL(new Blob([buffer], { type: contentType }));
        const anchor = document.createElement("a");
        anchor.href = url;
        anchor.download = fileName;
        anchor.style.display = "none";
        document.body.appendChild(anchor);
        anchor.click();
        anchor.remove();
        // The click has handed the blob to the download; revoking later keeps slow browsers from losing it.
        setTimeout(() => URL.revokeObjectURL(url), 60000);
    },

    // Copies text to the clipboard; returns whether it worked (the Clipboard API needs a secure context).
    copyText: async function (text) {
        if (navigator.clipboard && window.isSecureContext) {
            try {
                await navigator.clipboard.writeText(text);
                return true;
            } catch {
                // fall through to the selection-based copy
            }
        }
        const area = document.createElement("textarea");
        area.value = text;
        area.setAttribute("readonly", "");
        area.style.position = "fixed";
        area.style.opacity = "0";
        document.body.appendChild(area);
        area.select();
        let copied = false;
        try {
            copied = document.execCommand("copy");
        } catch {
            copied = false;
        }
        area.remove();
        return copied;
    }
};
