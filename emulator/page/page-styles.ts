/**
 * The emulator page's stylesheet, inlined into the page (no external assets): Slack's layout and
 * colours — aubergine sidebar, white message pane, Block Kit spacing, green primary and red danger
 * buttons — so a developer sees roughly what a Slack user would see.
 */
export const PAGE_STYLES = `
*{box-sizing:border-box}
html,body{margin:0;height:100%}
body{font:15px/1.46668 Lato,"Helvetica Neue",-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d1c1d;background:#fff;display:flex;flex-direction:column;-webkit-font-smoothing:antialiased}
a{color:#1264a3;text-decoration:none}
a:hover{text-decoration:underline}
.emulator-banner{flex:none;background:#350d36;color:#fff;font-size:13px;padding:6px 16px;border-bottom:1px solid #522653;display:flex;gap:8px;align-items:center}
.emulator-banner strong{background:#ecb22e;color:#1d1c1d;border-radius:4px;padding:1px 6px;font-size:11px;letter-spacing:.04em;text-transform:uppercase}
.emulator-banner .live{margin-left:auto;color:#cfc3cf;font-size:12px}
.emulator-banner .live::before{content:"";display:inline-block;width:8px;height:8px;border-radius:50%;background:#8d8d8d;margin-right:6px;vertical-align:middle}
.emulator-banner .live.on::before{background:#2bac76}
.app{flex:1;display:flex;min-height:0}
.sidebar{width:260px;flex:none;background:#3f0e40;color:#cfc3cf;overflow-y:auto;padding-bottom:16px}
.workspace{border-bottom:1px solid #522653;padding-bottom:12px}
.workspace-head{padding:12px 16px 8px}
.workspace-name{color:#fff;font-weight:900;font-size:18px;line-height:1.2}
.workspace-domain{font-size:12px;color:#bcabbc}
.sidebar-label{padding:8px 16px 2px;font-size:13px;color:#bcabbc}
.channel-link{display:flex;gap:8px;align-items:center;height:28px;padding:0 16px 0 26px;color:#cfc3cf;font-size:15px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.channel-link:hover{background:#350d36;text-decoration:none}
.channel-link.active{background:#1164a3;color:#fff}
.channel-link .channel-icon{width:16px;text-align:center;opacity:.8;flex:none}
.channel-link.archived{color:#9e8f9e;font-style:italic}
.channel-link .tag{font-size:11px;font-style:normal;border:1px solid #7d677d;border-radius:3px;padding:0 4px;margin-left:auto}
.channel-link .count{margin-left:auto;font-size:12px;opacity:.7}
.pane{flex:1;display:flex;flex-direction:column;min-width:0}
.channel-header{flex:none;height:49px;border-bottom:1px solid #dddddd;display:flex;align-items:center;gap:10px;padding:0 20px}
.channel-title{font-weight:900;font-size:18px}
.channel-meta{font-size:13px;color:#616061}
.messages{flex:1;overflow-y:auto;padding:8px 0 24px}
.empty{color:#616061;padding:40px 20px;text-align:center}
.archived-notice{flex:none;background:#f8f8f8;border-top:1px solid #dddddd;color:#616061;padding:12px 20px;font-size:14px;text-align:center}
.message{display:flex;gap:8px;padding:8px 20px}
.message:hover{background:#f8f8f8}
.avatar{width:36px;height:36px;border-radius:6px;flex:none;color:#fff;font-weight:900;font-size:16px;display:flex;align-items:center;justify-content:center;margin-top:3px}
.message-main{flex:1;min-width:0}
.message-head{display:flex;align-items:baseline;gap:6px}
.author{font-weight:900}
.badge-app{background:rgba(29,28,29,.13);color:rgba(29,28,29,.7);font-size:10px;font-weight:700;border-radius:2px;padding:0 3px;line-height:16px;align-self:center}
.message-time{font-size:12px;color:#616061}
.ephemeral-label{font-size:13px;color:#616061;display:flex;gap:4px;align-items:center}
.ephemeral-label .to{color:#8d8d8d}
.broadcast-label{font-size:13px;color:#616061}
.edited{font-size:13px;color:#616061}
.avatar-tombstone{background:#f8f8f8;color:#868686;font-size:16px;border:1px solid #e8e8e8}
.tombstone-text{color:#616061;font-style:italic;margin-top:8px}
.thread-summary{display:flex;align-items:center;gap:8px;margin-top:6px;padding:4px 6px;margin-left:-6px;border:1px solid transparent;border-radius:6px;max-width:600px;font-size:13px}
.thread-summary:hover{border-color:#dddddd;background:#fff}
.thread-avatars{display:flex;gap:3px}
.thread-avatars .avatar{width:24px;height:24px;font-size:12px;border-radius:4px;margin:0}
.reply-count{color:#1264a3;font-weight:700}
.last-reply{color:#616061}
.thread{margin:6px 0 0 -4px;border-left:2px solid #e8e8e8;padding-left:4px}
.thread .message{padding:6px 8px}
.thread .avatar{width:28px;height:28px;font-size:13px;border-radius:5px}
.bk-text{white-space:normal;word-wrap:break-word}
.bk-blocks>*+*{margin-top:8px}
.bk-header{font-size:18px;font-weight:900;line-height:1.33;margin-top:4px}
.bk-section{display:flex;gap:12px;align-items:flex-start}
.bk-section-body{flex:1;min-width:0}
.bk-fields{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:8px 16px;margin-top:4px;max-width:600px}
.bk-text+.bk-fields{margin-top:8px}
.bk-accessory{flex:none}
.bk-accessory .bk-element-image{width:88px;height:88px;object-fit:cover;border-radius:6px}
.bk-context{display:flex;flex-wrap:wrap;align-items:center;gap:6px;font-size:12px;color:#616061;line-height:1.5}
.bk-context-image{width:20px;height:20px;border-radius:4px;object-fit:cover}
.bk-divider{border:0;border-top:1px solid #dddddd;margin:12px 0}
.bk-image{margin:0}
.bk-image-title{font-size:13px;color:#616061;margin-bottom:4px}
.bk-image-img{display:block;max-width:360px;max-height:360px;border-radius:8px;border:1px solid #e8e8e8}
.img-missing{display:inline-flex;align-items:center;justify-content:center;background:#f8f8f8;color:#616061;font-size:12px;min-width:20px;min-height:20px;padding:2px 6px}
.bk-actions{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.bk-button{display:inline-flex;align-items:center;height:28px;padding:0 12px;font-family:inherit;font-size:13px;font-weight:700;line-height:1;border-radius:4px;border:1px solid rgba(29,28,29,.3);background:#fff;color:#1d1c1d;cursor:default;white-space:nowrap}
a.bk-button{color:#1d1c1d}
a.bk-button:hover{text-decoration:none;background:#f8f8f8}
.bk-button.bk-primary{background:#007a5a;border-color:#007a5a;color:#fff}
.bk-button.bk-danger{background:#e01e5a;border-color:#e01e5a;color:#fff}
.bk-box{display:inline-flex;align-items:center;gap:8px;min-width:180px;max-width:300px;height:28px;padding:0 8px 0 12px;border:1px solid rgba(29,28,29,.3);border-radius:4px;font-size:13px;background:#fff}
.bk-box-text{flex:1;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.bk-box-icon{color:#616061;font-size:12px}
.bk-placeholder{color:#868686}
.bk-chip{background:#f8f8f8;border:1px solid #dddddd;border-radius:3px;padding:0 4px;margin-right:4px}
.bk-overflow{display:inline-flex;align-items:center;justify-content:center;width:28px;height:28px;border:1px solid rgba(29,28,29,.3);border-radius:4px;font-weight:900}
.bk-choices{list-style:none;margin:0;padding:0;font-size:15px}
.bk-choices li{display:flex;gap:8px;padding:2px 0}
.bk-mark{color:#1264a3}
.bk-input{max-width:500px}
.bk-label{font-weight:700;margin-bottom:4px}
.bk-optional{font-weight:400;color:#616061}
.bk-text-input{display:block;min-height:36px;border:1px solid rgba(29,28,29,.3);border-radius:4px;padding:7px 12px;font-size:15px}
.bk-text-input.bk-multiline{min-height:72px}
.bk-hint{font-size:13px;color:#616061;margin-top:4px}
.bk-rich-text .rt-list{margin:0;padding-left:24px}
.rt-swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:4px;vertical-align:middle}
.bk-file,.bk-video{border:1px solid #dddddd;border-radius:8px;padding:8px 12px;max-width:420px}
.bk-video-title{font-weight:700;margin-bottom:6px}
.bk-unknown{color:#8d8d8d;font-size:13px;font-style:italic}
.bk-suffix{margin-top:2px}
.attachment{border-left:4px solid #dddddd;border-radius:4px 0 0 4px;padding:2px 0 2px 12px;margin-top:6px;max-width:600px}
.att-author{font-size:13px;font-weight:700}
.att-title{font-weight:700}
.att-fields{display:flex;flex-wrap:wrap;gap:6px 16px;margin-top:4px}
.att-field{flex:1 1 100%}
.att-field-short{flex:1 1 calc(50% - 16px)}
.att-field-title{font-weight:700;font-size:13px}
.att-footer{font-size:12px;color:#616061;margin-top:4px}
b{font-weight:700}
code{font:12px/1.5 Monaco,Menlo,Consolas,"Courier New",monospace;color:#e01e5a;background:rgba(29,28,29,.04);border:1px solid rgba(29,28,29,.13);border-radius:3px;padding:2px 3px 1px}
pre{font:12px/1.5 Monaco,Menlo,Consolas,"Courier New",monospace;background:rgba(29,28,29,.04);border:1px solid rgba(29,28,29,.13);border-radius:4px;padding:8px;margin:4px 0;white-space:pre-wrap;word-break:break-word}
blockquote{margin:4px 0;border-left:4px solid #dddddd;padding-left:16px}
.mention{background:rgba(29,155,209,.1);color:#1264a3;border-radius:3px;padding:0 2px}
.mention-broadcast{background:rgba(242,199,68,.4);color:#1d1c1d}
`;
