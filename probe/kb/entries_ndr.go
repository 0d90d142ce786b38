package kb

// ndrEntries: the codes listed in Microsoft's Exchange Online NDR reference and the NDR pages it links, not already in entries.go.
var ndrEntries = []entry{}
