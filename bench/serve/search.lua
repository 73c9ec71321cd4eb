-- wrk script: GET /api/search with a rotating set of Arabic queries (words,
-- a phrase, an exclusion), percent-encoded. Queries:
-- الرياض | وزير الخارجية | أمطار | خادم الحرمين الشريفين | النفط | "ولي العهد" | الهلال النصر | اليمن -الحوثي | مجلس الوزراء | كورونا | الأمن | التعليم
local queries = {
  "%D8%A7%D9%84%D8%B1%D9%8A%D8%A7%D8%B6",
  "%D9%88%D8%B2%D9%8A%D8%B1%20%D8%A7%D9%84%D8%AE%D8%A7%D8%B1%D8%AC%D9%8A%D8%A9",
  "%D8%A3%D9%85%D8%B7%D8%A7%D8%B1",
  "%D8%AE%D8%A7%D8%AF%D9%85%20%D8%A7%D9%84%D8%AD%D8%B1%D9%85%D9%8A%D9%86%20%D8%A7%D9%84%D8%B4%D8%B1%D9%8A%D9%81%D9%8A%D9%86",
  "%D8%A7%D9%84%D9%86%D9%81%D8%B7",
  "%22%D9%88%D9%84%D9%8A%20%D8%A7%D9%84%D8%B9%D9%87%D8%AF%22",
  "%D8%A7%D9%84%D9%87%D9%84%D8%A7%D9%84%20%D8%A7%D9%84%D9%86%D8%B5%D8%B1",
  "%D8%A7%D9%84%D9%8A%D9%85%D9%86%20-%D8%A7%D9%84%D8%AD%D9%88%D8%AB%D9%8A",
  "%D9%85%D8%AC%D9%84%D8%B3%20%D8%A7%D9%84%D9%88%D8%B2%D8%B1%D8%A7%D8%A1",
  "%D9%83%D9%88%D8%B1%D9%88%D9%86%D8%A7",
  "%D8%A7%D9%84%D8%A3%D9%85%D9%86",
  "%D8%A7%D9%84%D8%AA%D8%B9%D9%84%D9%8A%D9%85",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/search?q=" .. queries[(i % #queries) + 1])
end
