package kb

// replyWordsEntries: SMTP replies whose enhanced code is generic (5.2.0, 5.7.1, 5.7.3, 5.5.2...) but whose words name the cause; the words win over the code.
var replyWordsEntries = []entry{}
