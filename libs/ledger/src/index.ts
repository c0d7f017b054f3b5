// The Excel 台账: its columns, reading a bureau's sheet into project histories, and writing it back.
export {};
