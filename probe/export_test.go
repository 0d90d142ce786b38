package probe

// StallStage holds the named stage of runs made with o at its start until its context ends,
// so that a test can fire --timeout in the middle of that stage.
func StallStage(o *RunOptions, name string) { o.stall = stageName(name) }

// Stages are the names of every stage, for tests that stall each in turn.
var Stages = []string{
	string(stagePublicIP), string(stageClientCert), string(stageEndpoint), string(stageSender), string(stageSenderRecords),
	string(stageTCP), string(stageConversation), string(stageToken), string(stageJudge),
	string(stageExchange), string(stageEntra),
}
