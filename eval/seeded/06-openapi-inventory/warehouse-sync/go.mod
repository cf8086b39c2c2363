module github.com/tallyho/warehouse-sync

go 1.22
