-- The comments the POST scripts send (post_comments.lua, comment_check.lua): Norwegian and
-- English ham, and spam the default rules hold or file. bench/post_mix.hpp holds the same for the
-- programs without HTTP.
return {
  {name = "Kari", body = "Takk for en god oppsummering – særlig punkt 3! Jeg har prøvd det samme på jobben, og det fungerte bra."},
  {name = "Ola Nordmann", body = "Blåbærpaien ble en suksess i helgen. Neste gang prøver jeg med mindre sukker og litt mer kanel."},
  {name = "Ingrid", body = "Interessant lesning. Jeg er ikke helt enig i konklusjonen, men argumentene dine er gode. Hva med vinterdekk?"},
  {name = "Sam", body = "Great write-up, thanks! The part about WAL mode and group commit finally made it click for me."},
  {name = "Alex", body = "I tried this on my own blog and the numbers matched yours. Any plans for a follow-up on caching?"},
  {name = "Pål", body = "Hei! Fint innlegg 😊 Jeg delte det med kollegene mine. Gleder meg til neste del av serien."},
  {name = "Guro", body = "Kan du forklare punkt 4 litt nærmere? Jeg forstår ikke helt hvordan det henger sammen med resten."},
  {name = "best deals", body = "Check out my channel for the best crypto tips!!! Subscribe to me and win a free iPhone http://spam.example/win"},
  {name = "Lån nå", body = "Lån uten sikkerhet, svar på 5 minutter! Besøk nettsiden min www.raskelan.example i dag"},
  {name = "SEO Expert", body = "We offer high quality backlinks and guest posts for your website. Cheap viagra and cialis too: http://a.example http://b.example http://c.example"},
}
