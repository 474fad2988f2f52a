/**
 * Limits shared by the server (which enforces them) and clients (which pre-check and show them).
 */
export const LIMITS = {
  /** Longest message body, in code points (see `bodyLength`) after NFC normalisation and trimming. */
  bodyMaxLength: 4000,
  /** The composer starts showing the remaining characters at this length. */
  bodyWarnLength: 3500,
  /** Largest `limit` a `message:history` request may ask for. */
  historyPageMax: 100,
  /** Page size used when `message:history` names no `limit`. */
  historyPageDefault: 50,
  /** Most messages one `message:sync` answer carries; `hasMore` says when there are more. */
  syncPageMax: 200,
  /** Most conversations one `dm:conversations` answer carries. */
  conversationPageMax: 50,
  /** Most users one `user:search` answer carries. */
  userSearchPageMax: 50,
  /** A client sends `typing:start` at most this often while the user keeps typing. */
  typingThrottleMs: 3_000,
  /** A typing indicator not refreshed for this long disappears on its own (a lost `typing:stop` never sticks). */
  typingExpiryMs: 6_000,
  /** A client reports activity with `presence:active` at most this often. */
  presenceActiveThrottleMs: 30_000,
  /**
   * How often (ms) a server instance sends its lobby sockets the presence changes it collected,
   * and newly connected sockets their snapshot: one message per interval instead of one per
   * change, so a thousand users connecting cost each client one message a second, not a thousand.
   */
  presenceFlushMs: 1_000,
  /** Most user ids one `presence:get` may ask about. */
  presenceQueryMax: 100,
  /** Longest client-generated message id (`clientId`). */
  clientIdMaxLength: 64,
  /** Username length bounds. */
  usernameMinLength: 3,
  usernameMaxLength: 32,
  /** Longest display name, in code points (see `displayNameLength`) after NFKC normalisation. */
  displayNameMaxLength: 64,
  /** Password length bounds (the upper one keeps hashing cheap to refuse). */
  passwordMinLength: 8,
  passwordMaxLength: 256,
  /** Largest Socket.IO frame the server accepts, in bytes: a maximal body plus envelope, far under socket.io's 1 MB default. */
  maxFrameBytes: 64 * 1024,
  /** Longest channel name, in code points after NFKC normalisation (Slack's limit is 80 too). */
  channelNameMaxLength: 80,
  /** Longest channel topic, in code points after NFC normalisation and trimming (Slack's limit is 250). */
  topicMaxLength: 250,
  /** Fewest people in a group conversation, the opener included (two are a DM). */
  groupMembersMin: 3,
  /** Most people in a group conversation, the opener included (Slack's group DMs stop at 9). */
  groupMembersMax: 9,
  /** Default for the server setting `ROOMS_PER_USER_MAX`: channels and groups one user may be a member of (the lobby and DMs do not count). */
  roomsPerUserDefault: 500,
  /**
   * Notification settings (`notify:set`) one user may keep beyond the server's `ROOMS_PER_USER_MAX`:
   * those for the lobby and DMs, which that limit does not count. A user's cap is the sum, so that
   * every channel and group they can be in may have a setting, and 500 DMs besides (as many as
   * `roomsPerUserDefault`). A new room's setting past the cap is refused with `limit_reached`; a
   * room left or removed from gives its setting back. The cap also bounds what `notify:list` answers.
   */
  notifySettingsBeyondRoomsMax: 500,
  /**
   * Room summaries count unread entries among at most this many newest entries of a room, so a
   * user back after a month in a busy channel costs one bounded count: a count of this value
   * means "this many or more" (show it as 999+).
   */
  unreadCountWindow: 1000,
  /** Most channels one `channel:browse` answer carries. */
  channelBrowsePageMax: 50,
  /** Most members one `room:members` answer carries. */
  memberPageMax: 100,
  /** Most users one `room:invite` may add. */
  inviteBatchMax: 20,
  /** Most distinct users one message may mention; further `@names` stay plain text. */
  mentionsPerMessageMax: 20,
  /**
   * Default for `REACTIONS_PER_MESSAGE_MAX`: distinct emoji one message may carry (Slack stops at 23
   * distinct reactions; 20 keeps a row of them on two lines).
   */
  reactionsPerMessageDefault: 20,
  /** Longest reaction emoji, in UTF-16 units (the longest RGI sequences, family ZWJ sequences, take 11). */
  reactionEmojiMaxLength: 32,
  /**
   * Private channels with at most this many members share read marks among members ("seen by
   * N", `room:reads`); in larger ones marks stay private, since every mark that moves goes to
   * every member (a cost that grows with the square of the members). Groups always share them.
   */
  seenByMembersMax: 50,
  /** Grapheme clusters a reply's quote keeps of the original (`ReplyQuoteDto.excerpt`). */
  replyExcerptGraphemes: 120,
  /** Most files one message may carry (`MessageDto.attachments`; Slack and Mattermost stop at 10 too). */
  attachmentsPerMessageMax: 10,
  /**
   * Longest file name kept, in code points after `normalizeFileName` (255 is the common
   * file-system limit for one name); a longer one is cut before its extension.
   */
  fileNameMaxLength: 255,
  /** Default for `UPLOAD_MAX_MB`: the largest upload, in MiB (1 MiB = 1,048,576 bytes). */
  uploadMaxMbDefault: 25,
  /** Default for `UPLOAD_QUOTA_MB`: the bytes one user's stored files may take, in MiB (0: no quota). */
  uploadQuotaMbDefault: 1024,
  /**
   * Most pixels (width × height, every frame of an animation together) an image may have to be
   * decoded, so that a small file cannot expand to gigabytes of memory: 7680 × 4320 (8K UHD),
   * Mattermost's default `MaxImageResolution`. A larger image is refused with `file_too_large`.
   */
  imagePixelsMax: 33_177_600,
  /** A thumbnail fits in a square of this many pixels, keeping the aspect ratio (twice the web app's largest inline size). */
  thumbnailMaxEdge: 800,
  /** An upload no message has taken is removed this long (ms) after it was stored: 24 hours. */
  unattachedUploadTtlMs: 24 * 60 * 60 * 1000,
  /** Largest JSON request body the HTTP API accepts, in bytes. */
  maxHttpBodyBytes: 16 * 1024,
  /** Longest server name (`AdminSettingsDto.serverName`), in code points after NFKC normalisation. */
  serverNameMaxLength: 60,
  /** Longest recall window an admin may set, in ms: 7 days, as `RECALL_WINDOW_SECONDS` allows. */
  recallWindowMaxMs: 7 * 24 * 60 * 60 * 1000,
  /** Longest edit window an admin may set, in ms (null, no limit, is also allowed): 7 days. */
  editWindowMaxMs: 7 * 24 * 60 * 60 * 1000,
  /** Largest upload limit an admin may set, in bytes: 10 GiB, as `UPLOAD_MAX_MB` allows. */
  uploadMaxBytesCeiling: 10 * 1024 * 1024 * 1024,
  /** Most entries one admin list answer carries (users, reports, audit entries, invitations). */
  adminPageMax: 50,
  /** Most accounts one invitation link may register. */
  invitationUsesMax: 100,
  /** Longest an invitation link may live, in hours: 30 days (Zulip's longest is 30 days too). */
  invitationHoursMax: 30 * 24,
  /** Longest reason a report may give, in code points after NFC normalisation and trimming. */
  reportReasonMaxLength: 500,
  /** Entries a report shows before and after the reported message, for context. */
  reportContextMessages: 3,
} as const;
